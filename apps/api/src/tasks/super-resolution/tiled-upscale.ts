import type { ModelManifest } from '@dlserve/shared';
import type { Region } from '../tensor.js';
import { coreOf, cropTile, planAxis, type Tile } from './tiling.js';
import type { RgbImage, StepProgress } from '../task.js';

export type Tiling = NonNullable<ModelManifest['imageToImage']>;

/** Finished rows of the output, full width, from row `top` down. */
export interface OutputBand {
  top: number;
  pixels: Uint8Array;
}

export interface TiledUpscaleOptions {
  /**
   * Runs the model on one tile and answers the part of its output (the tile × scale) that `keep`
   * marks: the core, without the overlap.
   */
  runTile: (tile: RgbImage, keep: Region) => Promise<RgbImage>;
  /** How many tiles may be running or waiting at once. */
  concurrency: number;
  /** Each band of finished output rows, top to bottom. */
  onBand: (band: OutputBand) => void;
  onTile?: (progress: StepProgress) => void;
}

/**
 * image-to-image on an image of any size: cut into overlapping tiles (see `planTiles`), each run
 * by `runTile` with up to `concurrency` at once, so every model worker has one, and each output
 * pixel taken from the tile whose core holds it. A row of tiles finishes a band of output rows;
 * bands go to `onBand` in order as soon as they are complete (to be encoded while the rest is
 * still running) and are not kept, so memory stays near a few bands whatever the image's size.
 * Answers the output's size.
 */
export async function upscaleInTiles(image: RgbImage, tiling: Tiling, options: TiledUpscaleOptions): Promise<{ width: number; height: number }> {
  const { scale, tile, overlap } = tiling;
  const width = image.width * scale;
  const columns = planAxis(image.width, tile, overlap);
  const rows = planAxis(image.height, tile, overlap);
  const tiles = rows.flatMap((y, row) => columns.map((x) => ({ row, part: { x, y } satisfies Tile })));
  /** Per row of tiles: its band while it is being filled, and how many of its tiles are still out. */
  const bands = rows.map((y) => ({ top: y.coreStart * scale, height: (y.coreEnd - y.coreStart) * scale, pixels: null as Uint8Array | null, missing: columns.length }));
  let next = 0;
  let done = 0;
  let emitted = 0;
  let failed = false;

  /** Copies a tile's core (`output`, as `runTile` answered it) into its band. */
  const place = (row: number, x: number, output: RgbImage): void => {
    const band = bands[row]!;
    band.pixels ??= new Uint8Array(width * band.height * 3);
    const rowBytes = output.width * 3;
    for (let r = 0; r < output.height; r++) band.pixels.set(output.pixels.subarray(r * rowBytes, (r + 1) * rowBytes), (r * width + x) * 3);
    band.missing--;
    options.onTile?.({ tilesDone: ++done, tilesTotal: tiles.length });
    for (let ready = bands[emitted]; ready?.missing === 0; ready = bands[emitted]) {
      options.onBand({ top: ready.top, pixels: ready.pixels! });
      ready.pixels = null;
      emitted++;
    }
  };

  // Each lane takes the next tile when its last one is done; a failure stops them all.
  const lane = async (): Promise<void> => {
    while (!failed && next < tiles.length) {
      const { row, part } = tiles[next++]!;
      const crop = { pixels: cropTile(image.pixels, image.width, 3, part), width: part.x.size, height: part.y.size };
      try {
        const { region, x } = coreOf(part, scale);
        const output = await options.runTile(crop, region);
        if (output.width !== region.width || output.height !== region.height) {
          throw new Error(`the model answered ${output.width}×${output.height} for a tile core of ${region.width}×${region.height}`);
        }
        place(row, x, output);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, tiles.length)) }, lane));
  return { width, height: image.height * scale };
}
