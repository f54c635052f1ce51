import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Region } from '../tensor.js';
import { upscaleInTiles, type OutputBand } from './tiled-upscale.js';
import type { RgbImage } from '../task.js';

function testImage(width: number, height: number): RgbImage {
  return { pixels: Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * 13) % 251), width, height };
}

/** A stand-in model: nearest-neighbour ×scale, answering only `keep`. */
function nearest(image: RgbImage, scale: number, keep: Region): RgbImage {
  const pixels = new Uint8Array(keep.width * keep.height * 3);
  for (let y = 0; y < keep.height; y++) {
    for (let x = 0; x < keep.width; x++) {
      const from = (Math.floor((keep.top + y) / scale) * image.width + Math.floor((keep.left + x) / scale)) * 3;
      pixels.set(image.pixels.subarray(from, from + 3), (y * keep.width + x) * 3);
    }
  }
  return { pixels, width: keep.width, height: keep.height };
}

function gather(width: number, height: number, bands: OutputBand[]): Uint8Array {
  const pixels = new Uint8Array(width * height * 3);
  for (const band of bands) pixels.set(band.pixels, band.top * width * 3);
  return pixels;
}

describe('upscaleInTiles', () => {
  for (const [width, height, scale, concurrency] of [[37, 23, 2, 1], [37, 23, 2, 3], [50, 9, 4, 2], [12, 12, 3, 4]] as const) {
    it(`${width}×${height} ×${scale}, ${concurrency} at a time: bands in order, together the whole output`, async () => {
      const image = testImage(width, height);
      const tiling = { scale, tile: 16, overlap: 3 };
      const bands: OutputBand[] = [];
      const steps: number[] = [];
      let running = 0;
      let most = 0;
      const size = await upscaleInTiles(image, tiling, {
        concurrency,
        runTile: async (tile, keep) => {
          most = Math.max(most, ++running);
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 3)); // finish out of order
          running--;
          return nearest(tile, scale, keep);
        },
        onBand: (band) => bands.push(band),
        onTile: (progress) => steps.push(progress.tilesDone / progress.tilesTotal),
      });
      assert.deepEqual(size, { width: width * scale, height: height * scale });
      assert.ok(most <= concurrency, `${most} tiles ran at once`);
      assert.equal(steps.at(-1), 1);
      assert.deepEqual(steps, [...steps].sort((a, b) => a - b), 'progress only grows');
      let next = 0;
      for (const band of bands) {
        assert.equal(band.top, next, 'bands come top to bottom, touching');
        next += band.pixels.length / (width * scale * 3);
      }
      assert.equal(next, height * scale);
      const whole = nearest(image, scale, { left: 0, top: 0, width: width * scale, height: height * scale });
      assert.deepEqual(gather(width * scale, height * scale, bands), whole.pixels);
    });
  }

  it('asks each tile for its core only', async () => {
    const seen: Array<{ keep: Region; size: [number, number] }> = [];
    await upscaleInTiles(testImage(30, 20), { scale: 2, tile: 16, overlap: 3 }, {
      concurrency: 1,
      runTile: async (tile, keep) => {
        seen.push({ keep, size: [tile.width, tile.height] });
        return nearest(tile, 2, keep);
      },
      onBand: () => {},
    });
    assert.equal(seen.length, 6, '3 × 2 tiles of 10-px cores');
    for (const { keep, size } of seen) {
      assert.deepEqual(size, [16, 16], 'every tile the same size');
      assert.ok(keep.width < 32 && keep.height < 32, 'the core, not the whole tile output');
    }
  });

  it('stops taking tiles after one fails, and fails with its error', async () => {
    let started = 0;
    await assert.rejects(
      upscaleInTiles(testImage(100, 100), { scale: 2, tile: 16, overlap: 3 }, {
        concurrency: 2,
        runTile: async (tile, keep) => {
          if (++started === 4) throw new Error('tile 3 broke');
          await new Promise((resolve) => setTimeout(resolve, 1));
          return nearest(tile, 2, keep);
        },
        onBand: () => {},
      }),
      /tile 3 broke/,
    );
    assert.ok(started <= 6, `${started} tiles started of 100`);
  });

  it('refuses an answer of the wrong size', async () => {
    await assert.rejects(
      upscaleInTiles(testImage(20, 20), { scale: 2, tile: 16, overlap: 3 }, {
        concurrency: 1,
        runTile: async (tile) => nearest(tile, 2, { left: 0, top: 0, width: 4, height: 4 }),
        onBand: () => {},
      }),
      /answered 4×4 for a tile core/,
    );
  });
});
