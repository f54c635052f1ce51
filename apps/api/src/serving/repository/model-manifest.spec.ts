import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseModelManifest } from './model-manifest.js';

function validManifest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const identity = { scale: 1, mean: [0, 0, 0], std: [1, 1, 1] };
  return {
    name: 'upscale',
    title: 'Upscale',
    description: 'Doubles the size.',
    task: 'image-to-image',
    weights: 'model.onnx',
    input: { name: 'input', layout: 'NCHW', channels: 'RGB', ...identity },
    output: { name: 'output', layout: 'NCHW', channels: 'RGB', ...identity },
    imageToImage: { scale: 2, tile: 64, overlap: 8 },
    licence: { name: 'MIT' },
    source: { url: 'https://example.org' },
    ...overrides,
  };
}

describe('parseModelManifest', () => {
  it('takes input limits and refuses nonsense ones', () => {
    const limits = { maxInputMegapixels: 4, maxOutputMegapixels: 16, maxSide: 4096, minSide: 8 };
    assert.deepEqual(parseModelManifest(validManifest({ limits }), 'upscale').limits, limits);
    assert.throws(() => parseModelManifest(validManifest({ limits: { maxInputMegapixels: -1 } }), 'upscale'), /limits\.maxInputMegapixels/);
    assert.throws(() => parseModelManifest(validManifest({ limits: { minSide: 100, maxSide: 10 } }), 'upscale'), /minSide must not exceed maxSide/);
    assert.throws(() => parseModelManifest(validManifest({ limits: { maxPixels: 1 } }), 'upscale'), /limits/);
  });

  it('accepts a complete manifest, weights in the folder or in an npm package', () => {
    assert.equal(parseModelManifest(validManifest(), 'upscale').imageToImage?.scale, 2);
    const fromPackage = validManifest({ weights: { package: '@scope/models', path: 'x/model.onnx' } });
    assert.deepEqual(parseModelManifest(fromPackage, 'upscale').weights, { package: '@scope/models', path: 'x/model.onnx' });
  });

  it('takes a title and description as English text or per language, English required', () => {
    const plain = parseModelManifest(validManifest(), 'upscale');
    assert.deepEqual(plain.title, { en: 'Upscale' });
    assert.deepEqual(plain.description, { en: 'Doubles the size.' });
    const both = parseModelManifest(validManifest({ title: { en: 'Upscale', zh: '放大' } }), 'upscale');
    assert.deepEqual(both.title, { en: 'Upscale', zh: '放大' });
    assert.throws(() => parseModelManifest(validManifest({ title: { zh: '放大' } }), 'upscale'), /title/);
    assert.throws(() => parseModelManifest(validManifest({ title: { en: 'Upscale', fr: 'Agrandir' } }), 'upscale'), /title/);
  });

  it('lists every problem at once', () => {
    assert.throws(
      () => parseModelManifest(validManifest({ task: 'dance', title: '', input: {} }), 'upscale'),
      (error: Error) => /task/.test(error.message) && /title/.test(error.message) && /input\.name/.test(error.message),
    );
  });

  it('requires the section of its task', () => {
    assert.throws(() => parseModelManifest(validManifest({ imageToImage: undefined }), 'upscale'), /imageToImage: required/);
    assert.throws(
      () => parseModelManifest(validManifest({ task: 'image-classification' }), 'upscale'),
      /classification: required/,
    );
  });

  it('refuses an overlap that leaves no tile, unknown keys, example paths and a name that is not the folder', () => {
    assert.throws(() => parseModelManifest(validManifest({ imageToImage: { scale: 2, tile: 32, overlap: 16 } }), 'upscale'), /overlap/);
    assert.throws(() => parseModelManifest(validManifest({ weigths: 'x' }), 'upscale'), /weigths/);
    assert.throws(() => parseModelManifest(validManifest({ examples: ['../../etc/passwd'] }), 'upscale'), /examples/);
    assert.throws(() => parseModelManifest(validManifest(), 'other'), /folder is 'other'/);
  });
});
