import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cropLeft, resizeBilinear, rotate180, sharpen } from './raster.js';

const grey = (values: number[], width: number, height: number) => ({
  pixels: Uint8Array.from(values.flatMap((v) => [v, v, v])),
  width,
  height,
});
const reds = (pixels: Uint8Array): number[] => Array.from(pixels).filter((_, i) => i % 3 === 0);

describe('resizeBilinear', () => {
  it('interpolates between pixel centres as OpenCV INTER_LINEAR does', () => {
    const resized = resizeBilinear(grey([0, 100], 2, 1), 4, 1);
    assert.deepEqual(reds(resized.pixels), [0, 25, 75, 100]);
  });

  it('averages pairs when halving', () => {
    assert.deepEqual(reds(resizeBilinear(grey([0, 100, 50, 50], 4, 1), 2, 1).pixels), [50, 50]);
  });

  it('copies an image resized to its own size', () => {
    const image = grey([1, 2, 3, 4, 5, 6], 3, 2);
    const same = resizeBilinear(image, 3, 2);
    assert.deepEqual(same.pixels, image.pixels);
    assert.notEqual(same.pixels, image.pixels);
  });
});

describe('rotate180', () => {
  it('reverses the pixel order, keeping each pixel\'s channels', () => {
    const image = { pixels: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), width: 2, height: 2 };
    assert.deepEqual(Array.from(rotate180(image).pixels), [10, 11, 12, 7, 8, 9, 4, 5, 6, 1, 2, 3]);
  });
});

describe('cropLeft', () => {
  it('keeps the left columns of every row', () => {
    const image = grey([1, 2, 3, 4, 5, 6], 3, 2);
    const left = cropLeft(image, 2);
    assert.deepEqual([left.width, left.height], [2, 2]);
    assert.deepEqual(reds(left.pixels), [1, 2, 4, 5]);
  });

  it('answers the image itself when it is no wider', () => {
    const image = grey([1, 2], 2, 1);
    assert.equal(cropLeft(image, 5), image);
  });
});

describe('sharpen', () => {
  it('leaves flat areas and straight ramps alone, and deepens the corners of an edge, clamped to 0–255', () => {
    // A soft edge from 50 to 200 in one row, three rows tall.
    const row = [50, 50, 100, 150, 200, 200];
    const image = grey([...row, ...row, ...row], 6, 3);
    // The middle row: 50 + 2 × (50 − 66.7) ≈ 17 at the foot, 200 + 2 × (200 − 183.3) ≈ 233 at the top.
    assert.deepEqual(reds(sharpen(image, 2).pixels).slice(6, 12), [50, 17, 100, 150, 233, 200]);
    const hard = reds(sharpen(grey([0, 255, 0, 255, 0, 255, 0, 255, 0], 3, 3), 4).pixels);
    assert.ok(hard.every((v) => v === 0 || v === 255), 'clamped');
  });
});
