import type { TensorSpec } from '@dlserve/shared';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imageDims, pixelsToTensor, tensorToPixels, topK } from './tensor.js';

const raw: TensorSpec = { name: 'x', layout: 'NCHW', channels: 'RGB', scale: 1, mean: [0, 0, 0], std: [1, 1, 1] };
const imagenet: TensorSpec = {
  name: 'x',
  layout: 'NHWC',
  channels: 'BGR',
  scale: 1 / 255,
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
};
// Two pixels: pure red and a grey.
const pixels = Uint8Array.from([255, 0, 0, 128, 128, 128]);

describe('pixelsToTensor / tensorToPixels', () => {
  it('lays out NCHW planes in RGB order with the identity normalisation', () => {
    assert.deepEqual(Array.from(pixelsToTensor(pixels, 2, 1, raw)), [255, 128, 0, 128, 0, 128]);
  });

  it('applies scale, mean and std per channel, in NHWC and BGR order', () => {
    const tensor = pixelsToTensor(pixels, 2, 1, imagenet);
    // First pixel, BGR: blue 0, green 0, red 1.
    assert.ok(Math.abs(tensor[0]! - (0 - 0.485) / 0.229) < 1e-6);
    assert.ok(Math.abs(tensor[2]! - (1 - 0.406) / 0.225) < 1e-6);
  });

  it('inverts itself, and clamps and rounds what a model answers', () => {
    for (const spec of [raw, imagenet]) {
      assert.deepEqual(Array.from(tensorToPixels(pixelsToTensor(pixels, 2, 1, spec), 2, 1, spec)), Array.from(pixels));
    }
    // Planes R = [300, -4], G = [1.4, 1.6], B = [254.5, 0.5]: ties go to the even neighbour.
    const answered = Float32Array.from([300, -4, 1.4, 1.6, 254.5, 0.5]);
    assert.deepEqual(Array.from(tensorToPixels(answered, 2, 1, raw)), [255, 1, 254, 0, 2, 0]);
  });

  it('knows the dims of each layout', () => {
    assert.deepEqual(imageDims('NCHW', 1, 4, 3), [1, 3, 3, 4]);
    assert.deepEqual(imageDims('NHWC', 2, 4, 3), [2, 3, 4, 3]);
  });
});

describe('topK', () => {
  it('turns logits into probabilities and keeps the best k, best first', () => {
    const best = topK(Float32Array.from([1, 3, 2]), 2);
    assert.deepEqual(best.map((entry) => entry.index), [1, 2]);
    const total = topK(Float32Array.from([1, 3, 2]), 3).reduce((sum, entry) => sum + entry.score, 0);
    assert.ok(Math.abs(total - 1) < 1e-6);
  });

  it('keeps probabilities as they are', () => {
    assert.deepEqual(topK(Float32Array.from([0.25, 0.75]), 1), [{ index: 1, score: 0.75 }]);
  });
});
