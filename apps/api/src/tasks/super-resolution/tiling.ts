import type { Region } from '../tensor.js';

/**
 * Cutting an image into overlapping tiles for a model, and putting the outputs back together.
 *
 * Each output pixel comes from exactly one tile: the one whose *core* holds it. A tile is its
 * core plus `overlap` pixels of context on every side (less only at the image's edges, where the
 * whole image has no more context either), so a model whose receptive field reaches no further
 * than `overlap` gives the same pixels tiled as whole. Tiles are all the same size where the
 * image allows (edge tiles shift inward), so the runtime sees one input shape.
 */

/** One tile along one axis: `[start, start + size)` is fed to the model, `[coreStart, coreEnd)` kept. */
export interface AxisSpan {
  start: number;
  size: number;
  coreStart: number;
  coreEnd: number;
}

export interface Tile {
  x: AxisSpan;
  y: AxisSpan;
}

export function planAxis(length: number, tile: number, overlap: number): AxisSpan[] {
  if (length <= tile) return [{ start: 0, size: length, coreStart: 0, coreEnd: length }];
  const coreSize = tile - 2 * overlap;
  if (coreSize <= 0) throw new Error(`tile ${tile} leaves no core with overlap ${overlap}`);
  const count = Math.ceil(length / coreSize);
  const spans: AxisSpan[] = [];
  for (let i = 0; i < count; i++) {
    // Cores split the length evenly, so no tile is a sliver.
    const coreStart = Math.round((i * length) / count);
    const coreEnd = Math.round(((i + 1) * length) / count);
    const start = Math.min(Math.max(coreStart - overlap, 0), length - tile);
    spans.push({ start, size: tile, coreStart, coreEnd });
  }
  return spans;
}

export function planTiles(width: number, height: number, tile: number, overlap: number): Tile[] {
  const columns = planAxis(width, tile, overlap);
  return planAxis(height, tile, overlap).flatMap((y) => columns.map((x) => ({ x, y })));
}

/** How many tiles `planTiles` cuts an image into. */
export function countTiles(width: number, height: number, tile: number, overlap: number): number {
  return planAxis(width, tile, overlap).length * planAxis(height, tile, overlap).length;
}

/** Copies `tile`'s pixels out of an interleaved image (`channels` per pixel). */
export function cropTile(pixels: Uint8Array, width: number, channels: number, tile: Tile): Uint8Array {
  const rowBytes = tile.x.size * channels;
  const out = new Uint8Array(rowBytes * tile.y.size);
  for (let row = 0; row < tile.y.size; row++) {
    const from = ((tile.y.start + row) * width + tile.x.start) * channels;
    out.set(pixels.subarray(from, from + rowBytes), row * rowBytes);
  }
  return out;
}

/** The part of a tile's output (the tile × `scale`) that is kept, and where it goes in the output image. */
export function coreOf(tile: Tile, scale: number): { region: Region; x: number; y: number } {
  return {
    region: {
      left: (tile.x.coreStart - tile.x.start) * scale,
      top: (tile.y.coreStart - tile.y.start) * scale,
      width: (tile.x.coreEnd - tile.x.coreStart) * scale,
      height: (tile.y.coreEnd - tile.y.coreStart) * scale,
    },
    x: tile.x.coreStart * scale,
    y: tile.y.coreStart * scale,
  };
}
