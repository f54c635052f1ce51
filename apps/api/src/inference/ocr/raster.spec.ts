import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cropLeft, resizeBilinear, rotate180 } from './raster.js';

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
