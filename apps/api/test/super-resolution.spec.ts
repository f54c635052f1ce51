import type { ModelManifest } from '@dlserve/shared';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { loadExecutor, type UpscaleInput } from '../src/tasks/super-resolution/executor.js';
import { upscaleInTiles, type Tiling } from '../src/tasks/super-resolution/tiled-upscale.js';
import type { BatchContext, RgbImage, TaskExecutor } from '../src/tasks/task.js';

type Upscaler = TaskExecutor<UpscaleInput, RgbImage>;
const ALONE: BatchContext = { progress: () => {}, cancelled: () => false };
const load = async (manifest: ModelManifest, weightsPath: string): Promise<Upscaler> =>
  (await loadExecutor({ manifest, weightsPath, parts: {}, runtime: { ...runtime, executionProviders: [...runtime.executionProviders] } })) as Upscaler;

/** The shipped super-resolution models, checked on real photos. */
const MODELS_DIR = fileURLToPath(new URL('../../../../models/', import.meta.url));
const PHOTOS_DIR = fileURLToPath(new URL('../../../../fixtures/photos/', import.meta.url));
const runtime = { intraOpThreads: availableParallelism(), executionProviders: ['cpu'] as const };

async function shippedModels(): Promise<Array<{ manifest: ModelManifest; weights: string }>> {
  const folders = (await readdir(MODELS_DIR, { withFileTypes: true })).filter((entry) => entry.isDirectory() && entry.name.startsWith('esrgan-'));
  return Promise.all(
    folders.map(async ({ name }) => ({
      manifest: JSON.parse(await readFile(join(MODELS_DIR, name, 'model.json'), 'utf8')) as ModelManifest,
      weights: join(MODELS_DIR, name, 'model.onnx'),
    })),
  );
}

async function rgb(pipeline: sharp.Sharp): Promise<RgbImage> {
  const { data, info } = await pipeline.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { pixels: new Uint8Array(data), width: info.width, height: info.height };
}

/**
 * PSNR as super-resolution papers measure it (RDN, EDSR): on luma (BT.601 Y), leaving out
 * `shave` pixels at each border, where a network only sees its zero padding.
 */
function psnr(a: RgbImage, b: RgbImage, shave: number): number {
  const luma = (p: Uint8Array, i: number): number => 0.299 * p[i]! + 0.587 * p[i + 1]! + 0.114 * p[i + 2]!;
  let sum = 0;
  let count = 0;
  for (let y = shave; y < a.height - shave; y++) {
    for (let x = shave; x < a.width - shave; x++) {
      const i = (y * a.width + x) * 3;
      sum += (luma(a.pixels, i) - luma(b.pixels, i)) ** 2;
      count++;
    }
  }
  return 10 * Math.log10((255 * 255) / (sum / count));
}

/** The runner on an image as the service runs it: in tiles, two at a time; bands gathered. */
async function upscaleTiled(runner: Upscaler, image: RgbImage, tiling: Tiling): Promise<RgbImage & { tiles: number }> {
  const pixels = new Uint8Array(image.width * tiling.scale * image.height * tiling.scale * 3);
  let tiles = 0;
  const { width, height } = await upscaleInTiles(image, tiling, {
    runTile: async (tile, keep) => (await runner.execute([{ image: tile, region: keep }], ALONE)).outputs[0]!,
    concurrency: 2,
    onBand: (band) => pixels.set(band.pixels, band.top * image.width * tiling.scale * 3),
    onTile: (progress) => (tiles = progress.tilesTotal),
  });
  return { pixels, width, height, tiles };
}

const models = await shippedModels();
const photos = (await readdir(PHOTOS_DIR)).filter((name) => /\.(png|jpg)$/.test(name)).sort();

describe('shipped super-resolution models', () => {
  it('ships at least slim ×2 and ×4, medium ×2 and ×4, thick ×4', () => {
    assert.deepEqual(
      models.map((model) => model.manifest.name).sort(),
      ['esrgan-medium-x2', 'esrgan-medium-x4', 'esrgan-slim-x2', 'esrgan-slim-x4', 'esrgan-thick-x4'],
    );
  });

  for (const { manifest, weights } of models) {
    const scale = manifest.imageToImage!.scale;

    it(`${manifest.name}: beats bicubic upscaling in PSNR on every photo, downscaled ×${scale} first`, async () => {
      const runner = await load(manifest, weights);
      try {
        // thick runs ~2 min per input megapixel here: a centre crop keeps the test short.
        const crop = manifest.name.includes('thick') ? 192 : 1024;
        for (const photo of photos) {
          const meta = await sharp(join(PHOTOS_DIR, photo)).metadata();
          const width = Math.floor(Math.min(meta.width!, crop) / scale) * scale;
          const height = Math.floor(Math.min(meta.height!, crop) / scale) * scale;
          const left = Math.floor((meta.width! - width) / 2);
          const top = Math.floor((meta.height! - height) / 2);
          const original = await rgb(sharp(join(PHOTOS_DIR, photo)).extract({ left, top, width, height }));
          const small = await rgb(sharp(Buffer.from(original.pixels), { raw: { width, height, channels: 3 } }).resize(width / scale, height / scale, { kernel: 'cubic' }));
          const smallRaw = { raw: { width: small.width, height: small.height, channels: 3 as const } };
          const bicubic = await rgb(sharp(Buffer.from(small.pixels), smallRaw).resize(width, height, { kernel: 'cubic' }));
          const upscaled = await upscaleTiled(runner, small, manifest.imageToImage!);
          assert.deepEqual([upscaled.width, upscaled.height], [width, height]);
          const ours = psnr(upscaled, original, scale);
          const theirs = psnr(bicubic, original, scale);
          assert.ok(ours > theirs, `${photo}: model ${ours.toFixed(2)} dB ≤ bicubic ${theirs.toFixed(2)} dB`);
        }
      } finally {
        await runner.release();
      }
    });
  }

  for (const { manifest, weights } of models.filter((model) => !model.manifest.name.includes('thick'))) {
    it(`${manifest.name}: tiled output equals the whole-image output away from nothing but rounding`, async () => {
      const runner = await load(manifest, weights);
      try {
        const image = await rgb(sharp(join(PHOTOS_DIR, 'coffee.png')).extract({ left: 100, top: 50, width: 300, height: 200 }));
        const tiling = manifest.imageToImage!;
        const [whole] = (await runner.execute([{ image }], ALONE)).outputs as [RgbImage];
        const tiled = await upscaleTiled(runner, image, tiling);
        assert.ok(tiled.tiles > 4, `${tiled.tiles} tiles`);
        let maxDiff = 0;
        let differing = 0;
        for (let i = 0; i < whole.pixels.length; i++) {
          const diff = Math.abs(whole.pixels[i]! - tiled.pixels[i]!);
          maxDiff = Math.max(maxDiff, diff);
          if (diff > 0) differing++;
        }
        // Equal but for the rounding of values that differ by far less than a grey level.
        assert.ok(maxDiff <= 1, `max difference ${maxDiff}`);
        assert.ok(differing / whole.pixels.length < 0.01, `${differing} values differ`);
      } finally {
        await runner.release();
      }
    });
  }
});
