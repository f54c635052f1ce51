import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lumaPlane, ssim, type LumaPlane } from './ssim.js';

/** Deterministic pseudo-random numbers in [0, 1), so failures reproduce. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function plane(width: number, height: number, value: (x: number, y: number) => number): LumaPlane {
  const data = new Float64Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = value(x, y);
  return { data, width, height };
}

function randomPlane(width: number, height: number, seed: number): LumaPlane {
  const next = random(seed);
  return plane(width, height, () => next() * 255);
}

function withNoise(source: LumaPlane, amplitude: number, seed: number): LumaPlane {
  const next = random(seed);
  return { ...source, data: source.data.map((v) => Math.min(255, Math.max(0, v + (next() - 0.5) * 2 * amplitude))) };
}

function boxBlur(source: LumaPlane): LumaPlane {
  const { width, height, data } = source;
  return plane(width, height, (x, y) => {
    let sum = 0;
    let count = 0;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx;
        const yy = y + dy;
        if (xx >= 0 && yy >= 0 && xx < width && yy < height) {
          sum += data[yy * width + xx]!;
          count++;
        }
      }
    }
    return sum / count;
  });
}

/** Textbook SSIM, window by window, as scikit-image defines it (7×7, sample covariance). */
function naiveSsim(a: LumaPlane, b: LumaPlane): number {
  const win = 7;
  const n = win * win;
  const c1 = (0.01 * 255) ** 2;
  const c2 = (0.03 * 255) ** 2;
  let total = 0;
  let windows = 0;
  for (let top = 0; top + win <= a.height; top++) {
    for (let left = 0; left + win <= a.width; left++) {
      let mx = 0, my = 0;
      for (let y = top; y < top + win; y++) for (let x = left; x < left + win; x++) {
        mx += a.data[y * a.width + x]!;
        my += b.data[y * a.width + x]!;
      }
      mx /= n;
      my /= n;
      let vx = 0, vy = 0, cov = 0;
      for (let y = top; y < top + win; y++) for (let x = left; x < left + win; x++) {
        const dx = a.data[y * a.width + x]! - mx;
        const dy = b.data[y * a.width + x]! - my;
        vx += dx * dx;
        vy += dy * dy;
        cov += dx * dy;
      }
      vx /= n - 1;
      vy /= n - 1;
      cov /= n - 1;
      total += ((2 * mx * my + c1) * (2 * cov + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
      windows++;
    }
  }
  return total / windows;
}

describe('ssim', () => {
  const image = plane(64, 48, (x, y) => 128 + 100 * Math.sin(x / 5) * Math.cos(y / 7));

  it('is 1 for identical planes', () => {
    assert.equal(ssim(image, { ...image, data: image.data.slice() }), 1);
  });

  it('falls as noise grows', () => {
    const light = ssim(image, withNoise(image, 5, 1));
    const heavy = ssim(image, withNoise(image, 40, 1));
    assert.ok(light < 1 && light > 0.9, `light noise: ${light}`);
    assert.ok(heavy < light && heavy < 0.7, `heavy noise: ${heavy}`);
  });

  it('penalises blur on a textured image', () => {
    const textured = randomPlane(40, 40, 7);
    const score = ssim(textured, boxBlur(textured));
    assert.ok(score < 0.6, `blurred noise: ${score}`);
  });

  it('is symmetric', () => {
    const other = withNoise(image, 20, 3);
    assert.equal(ssim(image, other), ssim(other, image));
  });

  it('agrees with a naive implementation to 1e-9', () => {
    for (const [width, height, seed] of [[7, 7, 1], [13, 11, 2], [30, 9, 3], [25, 40, 4]] as const) {
      const a = randomPlane(width, height, seed);
      const b = withNoise(a, 30, seed + 100);
      assert.ok(Math.abs(ssim(a, b) - naiveSsim(a, b)) < 1e-9, `${width}×${height}`);
    }
  });

  it('gives identical scores when the reference is compared again (its window statistics cached)', () => {
    const reference = randomPlane(57, 33, 5);
    const candidates = [10, 30, 60].map((amplitude, i) => withNoise(reference, amplitude, 200 + i));
    const first = candidates.map((c) => ssim(reference, c));
    const again = candidates.map((c) => ssim(reference, c));
    const fresh = candidates.map((c) => ssim({ ...reference, data: reference.data.slice() }, c));
    assert.deepEqual(again, first);
    assert.deepEqual(fresh, first);
    first.forEach((score, i) => assert.ok(Math.abs(score - naiveSsim(reference, candidates[i]!)) < 1e-9));
  });

  it('still scores images smaller than the window', () => {
    const tiny = randomPlane(5, 3, 9);
    assert.equal(ssim(tiny, tiny), 1);
    assert.ok(ssim(tiny, withNoise(tiny, 50, 2)) < 1);
  });

  it('rejects planes of different sizes', () => {
    assert.throws(() => ssim(image, randomPlane(10, 10, 1)));
  });
});

describe('lumaPlane', () => {
  it('uses BT.601 weights', () => {
    const { data } = lumaPlane(Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255]), 3, 1, 3);
    assert.deepEqual([...data].map((v) => Number(v.toFixed(6))), [76.245, 149.685, 29.07]);
  });

  it('composites alpha over mid-grey, so hidden colour does not count', () => {
    const transparentRed = lumaPlane(Uint8Array.from([255, 0, 0, 0]), 1, 1, 4);
    const transparentBlue = lumaPlane(Uint8Array.from([0, 0, 255, 0]), 1, 1, 4);
    const opaqueBlack = lumaPlane(Uint8Array.from([0, 0, 0, 255]), 1, 1, 4);
    assert.equal(transparentRed.data[0], 128);
    assert.equal(transparentBlue.data[0], 128);
    assert.equal(opaqueBlack.data[0], 0);
  });
});
