import type { Point } from '@dlserve/shared';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyHomography,
  convexHull,
  homography,
  insideConvex,
  minAreaRect,
  orderClockwise,
  polygonArea,
  polygonPerimeter,
  warpQuad,
  type Quad,
} from './geometry.js';

/** The corners of a w×h rectangle centred on c, turned by `degrees` (clockwise on screen), clockwise from its top-left. */
function rotatedRect(c: Point, w: number, h: number, degrees: number): Quad {
  const a = (degrees * Math.PI) / 180;
  const u: Point = [Math.cos(a), Math.sin(a)];
  const v: Point = [-Math.sin(a), Math.cos(a)];
  const at = (su: number, sv: number): Point => [c[0] + su * u[0] + sv * v[0], c[1] + su * u[1] + sv * v[1]];
  return [at(-w / 2, -h / 2), at(w / 2, -h / 2), at(w / 2, h / 2), at(-w / 2, h / 2)];
}

/** Deterministic pseudo-random numbers (a linear congruential generator), so failures repeat. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 2 ** 32;
    return state / 2 ** 32;
  };
}

const near = (actual: number, expected: number, tolerance: number, what = ''): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what} ${actual} is not within ${tolerance} of ${expected}`);

const nearPoint = (actual: Point, expected: Point, tolerance = 1e-6): void => {
  near(actual[0], expected[0], tolerance, 'x');
  near(actual[1], expected[1], tolerance, 'y');
};

describe('polygonArea / polygonPerimeter', () => {
  it('measures a 3×4 rectangle in either orientation', () => {
    const rect: Point[] = [[0, 0], [3, 0], [3, 4], [0, 4]];
    assert.equal(polygonArea(rect), 12);
    assert.equal(polygonArea([...rect].reverse()), 12);
    assert.equal(polygonPerimeter(rect), 14);
  });
});

describe('convexHull', () => {
  it('keeps the corners, dropping inside, duplicate and collinear points', () => {
    const points: Point[] = [[0, 0], [10, 0], [5, 0], [10, 10], [0, 10], [5, 5], [3, 7], [0, 0], [0, 5]];
    const hull = convexHull(points);
    assert.equal(hull.length, 4);
    assert.deepEqual([...hull].sort((a, b) => a[0] - b[0] || a[1] - b[1]), [[0, 0], [0, 10], [10, 0], [10, 10]]);
    assert.equal(polygonArea(hull), 100);
  });
});

describe('minAreaRect', () => {
  for (const degrees of [0, 17, 30, 45, 60, 90, 123, -30]) {
    it(`finds a 40×10 rectangle turned by ${degrees}° from its corners and inside points`, () => {
      const corners = rotatedRect([50, 40], 40, 10, degrees);
      const inside: Point[] = [[50, 40], [51, 41], [49, 39.5]];
      const rect = minAreaRect([...inside, ...corners]);
      near(rect.width * rect.height, 400, 1e-6, 'area');
      near(Math.max(rect.width, rect.height), 40, 1e-6, 'long side');
      nearPoint(rect.center, [50, 40]);
      // The long side's direction, as a line (mod 180°).
      const longAngle = rect.width >= rect.height ? rect.angle : rect.angle + Math.PI / 2;
      const difference = (((longAngle * 180) / Math.PI - degrees) % 180 + 180) % 180;
      assert.ok(difference < 1e-6 || 180 - difference < 1e-6, `angle off by ${difference}°`);
      for (const corner of corners) assert.ok(rect.corners.some((p) => Math.hypot(p[0] - corner[0], p[1] - corner[1]) < 1e-6));
    });
  }

  it('agrees with trying every hull edge on random point sets, and encloses every point', () => {
    const next = random(7);
    for (let trial = 0; trial < 200; trial++) {
      const count = 3 + Math.floor(next() * 40);
      const points: Point[] = Array.from({ length: count }, () => [next() * 100, next() * 30 + next() * 50]);
      const rect = minAreaRect(points);
      const hull = convexHull(points);
      let best = Infinity;
      for (let i = 0; i < hull.length; i++) {
        const a = hull[i]!;
        const b = hull[(i + 1) % hull.length]!;
        const length = Math.hypot(b[0] - a[0], b[1] - a[1]);
        const u = [(b[0] - a[0]) / length, (b[1] - a[1]) / length] as const;
        const along = hull.map((p) => p[0] * u[0] + p[1] * u[1]);
        const across = hull.map((p) => -p[0] * u[1] + p[1] * u[0]);
        best = Math.min(best, (Math.max(...along) - Math.min(...along)) * (Math.max(...across) - Math.min(...across)));
      }
      near(rect.width * rect.height, best, 1e-6 * Math.max(1, best), `trial ${trial}`);
      for (const p of points) assert.ok(insideConvex(rect.corners, p, 1e-6), `trial ${trial}: ${p} outside`);
    }
  });

  it('handles a single point and a segment', () => {
    assert.equal(minAreaRect([[3, 4]]).width, 0);
    const segment = minAreaRect([[0, 0], [3, 4], [3, 4]]);
    assert.equal(segment.width, 5);
    assert.equal(segment.height, 0);
  });
});

describe('orderClockwise', () => {
  it('starts an axis-aligned box at its top-left whatever the input order and orientation', () => {
    const expected: Quad = [[10, 20], [90, 20], [90, 40], [10, 40]];
    assert.deepEqual(orderClockwise([[90, 40], [10, 40], [10, 20], [90, 20]]), expected);
    assert.deepEqual(orderClockwise([[10, 20], [10, 40], [90, 40], [90, 20]]), expected, 'anticlockwise input');
  });

  it('starts a box tilted by ±20° at the top-left of its text', () => {
    for (const degrees of [20, -20]) {
      const box = rotatedRect([100, 100], 80, 20, degrees);
      for (let shift = 0; shift < 4; shift++) {
        const shuffled = [box[shift % 4]!, box[(shift + 1) % 4]!, box[(shift + 2) % 4]!, box[(shift + 3) % 4]!] as Quad;
        const ordered = orderClockwise(shuffled);
        ordered.forEach((p, i) => nearPoint(p, box[i]!));
      }
    }
  });
});

describe('homography', () => {
  it('takes each corner of one quadrilateral to the other', () => {
    const from: Quad = [[0, 0], [100, 0], [100, 50], [0, 50]];
    const to: Quad = [[12, 7], [95, 20], [90, 70], [5, 60]];
    const h = homography(from, to);
    from.forEach((p, i) => nearPoint(applyHomography(h, p), to[i]!, 1e-9));
  });
});

describe('warpQuad', () => {
  // R = x, G = y, B = 200: every pixel says where it came from.
  const width = 120;
  const height = 80;
  const pixels = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) pixels.set([x, y, 200], (y * width + x) * 3);
  }
  const image = { pixels, width, height };

  it('crops an axis-aligned box pixel for pixel', () => {
    const crop = warpQuad(image, [[10, 20], [50, 20], [50, 40], [10, 40]], 40, 20);
    assert.equal(crop.width, 40);
    assert.equal(crop.height, 20);
    for (const [u, v] of [[0, 0], [39, 0], [17, 11], [39, 19]] as const) {
      assert.deepEqual(Array.from(crop.pixels.subarray((v * 40 + u) * 3, (v * 40 + u) * 3 + 3)), [10 + u, 20 + v, 200]);
    }
  });

  it('turns a box given from its top-right corner upright (a line written downwards)', () => {
    // The text's top-left is the box's top-right: the crop's x runs down the image, its y leftwards.
    const crop = warpQuad(image, [[50, 10], [50, 50], [30, 50], [30, 10]], 40, 20);
    for (const [u, v] of [[0, 0], [25, 5], [39, 19]] as const) {
      assert.deepEqual(Array.from(crop.pixels.subarray((v * 40 + u) * 3, (v * 40 + u) * 3 + 3)), [50 - v, 10 + u, 200]);
    }
  });

  it('samples between pixels bilinearly and repeats the edge outside the image', () => {
    const half = warpQuad(image, [[10.5, 20.5], [30.5, 20.5], [30.5, 30.5], [10.5, 30.5]], 20, 10);
    assert.deepEqual(Array.from(half.pixels.subarray(0, 3)), [11, 21, 200], '10.5 rounds half up');
    const outside = warpQuad(image, [[-10, -10], [10, -10], [10, 10], [-10, 10]], 20, 20);
    assert.deepEqual(Array.from(outside.pixels.subarray(0, 3)), [0, 0, 200]);
  });

  it('cuts a rectangle drawn at 30° out as an upright block', () => {
    const box = rotatedRect([60, 40], 60, 16, 30);
    const drawn = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) if (insideConvex(box, [x, y])) drawn.fill(255, (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
    const crop = warpQuad({ pixels: drawn, width, height }, box, 60, 16);
    let white = 0;
    for (let i = 0; i < crop.width * crop.height; i++) if (crop.pixels[i * 3]! > 127) white++;
    assert.ok(white / (crop.width * crop.height) > 0.9, `${white} of ${crop.width * crop.height} white`);
    // The middle row is all inside the drawn rectangle.
    for (let u = 2; u < 58; u++) assert.equal(crop.pixels[(8 * 60 + u) * 3], 255);
  });
});
