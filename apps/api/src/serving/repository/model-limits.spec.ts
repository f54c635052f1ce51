import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { ModelManifest } from '@dlserve/shared';
import { AppError } from '../../platform/errors/app-error.js';
import { checkModelLimits, DEFAULT_MODEL_LIMITS, modelLimits } from './model-limits.js';
import { parseModelManifest } from './model-manifest.js';

const MODELS = new URL('../../../../../../models/', import.meta.url);

function manifest(overrides: Partial<ModelManifest> = {}): ModelManifest {
  return { name: 'up', task: 'image-to-image', imageToImage: { scale: 4, tile: 64, overlap: 8 }, ...overrides } as ModelManifest;
}

function refusal(model: ModelManifest, width: number, height: number): AppError {
  try {
    checkModelLimits(model, { width, height });
  } catch (error) {
    assert.ok(error instanceof AppError);
    return error;
  }
  assert.fail(`${width}×${height} was accepted`);
}

describe('checkModelLimits', () => {
  it('fills in the defaults for a manifest without limits', () => {
    assert.deepEqual(modelLimits(manifest()), DEFAULT_MODEL_LIMITS);
    assert.equal(modelLimits(manifest({ limits: { minSide: 16 } })).minSide, 16);
  });

  it('refuses too many pixels in, too many out for the scale, a long side and a short one', () => {
    const model = manifest({ limits: { maxInputMegapixels: 2, maxOutputMegapixels: 16, maxSide: 2000, minSide: 8 } });
    checkModelLimits(model, { width: 1000, height: 1000 }); // 1 MP in, 16 MP out: the edge
    assert.equal(refusal(model, 1500, 1400).code, 'image_too_large'); // 2.1 MP in
    assert.match(refusal(model, 1200, 1000).message, /outputs of at most 16 megapixels \(×4: inputs up to 1 MP\).*1200×1000.*19\.2 MP/);
    assert.equal(refusal(model, 1200, 1000).statusCode, 413);
    assert.match(refusal(manifest({ limits: { maxSide: 100, maxOutputMegapixels: 1000 } }), 101, 10).message, /at most 100 pixels a side/);
    const short = refusal(model, 100, 7);
    assert.equal(short.code, 'unsupported_image');
    assert.equal(short.statusCode, 422);
  });

  it('has no output limit for a model that is not image-to-image', () => {
    checkModelLimits(manifest({ task: 'ocr', imageToImage: undefined, limits: { maxInputMegapixels: 25 } }), { width: 5000, height: 5000 });
  });

  it('every shipped model states its limits, and an upscale of its largest input stays within its output limit', () => {
    for (const name of readdirSync(MODELS, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name)) {
      const parsed = parseModelManifest(JSON.parse(readFileSync(new URL(`${name}/model.json`, MODELS), 'utf8')), name);
      assert.ok(parsed.limits?.maxInputMegapixels, `${name} states maxInputMegapixels`);
      const scale = parsed.imageToImage?.scale;
      if (scale) assert.ok(parsed.limits.maxOutputMegapixels !== undefined && parsed.limits.maxInputMegapixels * scale * scale <= parsed.limits.maxOutputMegapixels * 1.0001, name);
    }
  });
});
