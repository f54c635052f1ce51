/**
 * The committed models/esrgan-* folders: each model.onnx is what the converter produces today
 * and matches its TF.js original, and each manifest agrees with the package it came from.
 * Thick runs on small inputs only: TF.js's pure-JS backend takes seconds per thick inference.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ModelManifest } from '@dlserve/shared';
import { MODELS } from './models.js';
import { convertUnverified, pixelScale, verifyAgainstOriginal } from './pipeline.js';
import { MAX_ABS_DIFF } from './verify/verify.js';

const MODELS_DIR = fileURLToPath(new URL('../../../../models/', import.meta.url));

const TEST_SIZES: Record<string, [number, number][]> = {
  thick: [
    [8, 8],
    [12, 10],
  ],
  other: [
    [16, 16],
    [24, 20],
  ],
};

for (const spec of MODELS) {
  describe(`models/${spec.name}`, () => {
    const dir = join(MODELS_DIR, spec.name);

    it('model.onnx is the converter’s current output and matches TF.js at two sizes', async () => {
      const committed = new Uint8Array(await readFile(join(dir, 'model.onnx')));
      const { pkg, onnx } = await convertUnverified(spec);
      assert.ok(Buffer.from(committed).equals(Buffer.from(onnx)), 'model.onnx is stale: run `pnpm --filter @dlserve/model-converter convert`');

      const sizes = spec.package.endsWith('thick') ? TEST_SIZES.thick! : TEST_SIZES.other!;
      const result = await verifyAgainstOriginal(pkg, committed, sizes);
      assert.ok(result.maxAbsDiff <= MAX_ABS_DIFF, `max |Δ| ${result.maxAbsDiff}`);
    });

    it('model.json and LICENSE describe the package it came from', async () => {
      const manifest = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as ModelManifest;
      const { pkg } = await convertUnverified(spec);
      assert.equal(manifest.name, spec.name);
      assert.equal(manifest.weights, 'model.onnx');
      assert.deepEqual(manifest.imageToImage, { scale: spec.scale, tile: spec.tile, overlap: spec.overlap });
      assert.equal(manifest.input.scale, pixelScale(pkg.definition.inputRange));
      assert.equal(manifest.output.scale, pixelScale(pkg.definition.outputRange));
      assert.match(manifest.source.notes ?? '', new RegExp(`${pkg.name}@${pkg.version} models/x${spec.scale}`));
      assert.equal(await readFile(join(dir, 'LICENSE'), 'utf8'), pkg.licence);
      assert.match(pkg.licence, /^MIT License\n\nCopyright \(c\) \d{4} /);
    });
  });
}
