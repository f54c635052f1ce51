import type { Point } from '@dlserve/shared';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { boxesFromProbabilityMap, keepApart, textRegions, unclip } from './db-postprocess.js';
import { minAreaRect } from './geometry.js';
import { distance, insideConvex, polygonArea, type Quad } from './geometry.js';

const settings = { detectionThreshold: 0.3, boxThreshold: 0.6, unclipRatio: 1.5 };

/** A probability map with `value` on the pixels whose centres are inside each quad. */
function paint(width: number, height: number, shapes: Array<{ quad: Quad; value: number }>): Float32Array {
  const map = new Float32Array(width * height);
  for (const { quad, value } of shapes) {
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (insideConvex(quad, [x, y])) map[y * width + x] = value;
  }
  return map;
}

const bar = (x0: number, y0: number, x1: number, y1: number): Quad => [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];

function rotated(c: Point, w: number, h: number, degrees: number): Quad {
  const a = (degrees * Math.PI) / 180;
  const u: Point = [Math.cos(a), Math.sin(a)];
  const v: Point = [-Math.sin(a), Math.cos(a)];
  const at = (su: number, sv: number): Point => [c[0] + su * u[0] + sv * v[0], c[1] + su * u[1] + sv * v[1]];
  return [at(-w / 2, -h / 2), at(w / 2, -h / 2), at(w / 2, h / 2), at(-w / 2, h / 2)];
}

/** Growing a w×h rectangle by area × ratio / perimeter on every side. */
function unclipped(w: number, h: number, ratio = 1.5): { w: number; h: number } {
  const d = (w * h * ratio) / (2 * (w + h));
  return { w: w + 2 * d, h: h + 2 * d };
}

const near = (actual: number, expected: number, tolerance: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not within ${tolerance} of ${expected}`);

describe('boxesFromProbabilityMap', () => {
  it('turns one horizontal bar into one grown, axis-aligned box, clockwise from its top-left', () => {
    // Pixels 20…179 × 40…59: their centres span 159 × 19.
    const map = paint(200, 100, [{ quad: bar(20, 40, 179, 59), value: 0.9 }]);
    const boxes = boxesFromProbabilityMap(map, 200, 100, 200, 100, settings);
    assert.equal(boxes.length, 1);
    const { box, score } = boxes[0]!;
    near(score, 0.9, 1e-6, 'score');
    const { w, h } = unclipped(159, 19);
    const grow = (w - 159) / 2;
    const expected: Quad = [[20 - grow, 40 - grow], [179 + grow, 40 - grow], [179 + grow, 59 + grow], [20 - grow, 59 + grow]];
    box.forEach((p, i) => {
      near(p[0], expected[i]![0], 0.3, `corner ${i} x`);
      near(p[1], expected[i]![1], 0.3, `corner ${i} y`);
    });
    near(distance(box[0], box[1]), w, 0.5, 'width');
    near(distance(box[1], box[2]), h, 0.5, 'height');
  });

  it('finds two separate bars as two boxes', () => {
    const map = paint(200, 120, [
      { quad: bar(10, 10, 90, 25), value: 0.95 },
      { quad: bar(10, 70, 150, 90), value: 0.8 },
    ]);
    const boxes = boxesFromProbabilityMap(map, 200, 120, 200, 120, settings);
    assert.equal(boxes.length, 2);
    const centres = boxes.map(({ box }) => box.reduce((s, p) => s + p[1] / 4, 0)).sort((a, b) => a - b);
    near(centres[0]!, 17.5, 0.5, 'first centre');
    near(centres[1]!, 80, 0.5, 'second centre');
  });

  it('fits a bar turned by 30° with a box turned by 30°, of the grown size', () => {
    const map = paint(220, 160, [{ quad: rotated([110, 80], 120, 16, 30), value: 0.9 }]);
    const boxes = boxesFromProbabilityMap(map, 220, 160, 220, 160, settings);
    assert.equal(boxes.length, 1);
    const [tl, tr, br] = boxes[0]!.box;
    const angle = (Math.atan2(tr[1] - tl[1], tr[0] - tl[0]) * 180) / Math.PI;
    near(angle, 30, 1, 'angle');
    // The pixel centres inside a turned 120 × 16 rectangle have a ragged edge: about 120 × 16.
    const { w, h } = unclipped(120, 16);
    near(distance(tl, tr), w, 2, 'width');
    near(distance(tr, br), h, 2, 'height');
  });

  it('drops regions whose mean probability is under boxThreshold, and specks', () => {
    const map = paint(200, 100, [
      { quad: bar(10, 10, 150, 30), value: 0.5 },
      { quad: bar(10, 60, 11, 61), value: 0.99 },
      { quad: bar(100, 60, 180, 80), value: 0.7 },
    ]);
    const boxes = boxesFromProbabilityMap(map, 200, 100, 200, 100, settings);
    assert.equal(boxes.length, 1);
    near(boxes[0]!.score, 0.7, 1e-6, 'the kept box');
  });

  it('keeps a bowed line that its rectangle would score under boxThreshold', () => {
    // A 160 px line bowed by 8 px: its rectangle is mostly background, its pixels are all 0.9.
    const shapes = [0, 1, 2, 3].map((k) => ({ quad: bar(10 + 40 * k, 30 + [0, 4, 8, 4][k]!, 49 + 40 * k, 33 + [0, 4, 8, 4][k]!), value: 0.9 }));
    shapes.push(...[0, 1, 2].map((k) => ({ quad: bar(45 + 40 * k, 30 + [2, 6, 6][k]!, 54 + 40 * k, 35 + [2, 6, 6][k]!), value: 0.9 })));
    const boxes = boxesFromProbabilityMap(paint(200, 80, shapes), 200, 80, 200, 80, settings);
    assert.equal(boxes.length, 1);
    near(boxes[0]!.score, 0.9, 1e-6, 'score');
  });

  it('grows lines set close together only up to the middle between them', () => {
    // Kernels 6 px high, 10 px apart: unclipping with ratio 3 alone grows each by almost 9 px a side.
    const map = paint(200, 60, [
      { quad: bar(10, 10, 189, 16), value: 0.9 },
      { quad: bar(10, 26, 189, 32), value: 0.9 },
    ]);
    const [upper, lower] = boxesFromProbabilityMap(map, 200, 60, 200, 60, { ...settings, unclipRatio: 3 }).sort((a, b) => a.box[0][1] - b.box[0][1]);
    near(upper!.box[3][1], 21, 0.3, 'the upper box stops at the middle');
    near(lower!.box[0][1], 21, 0.3, 'the lower box starts there');
    // Away from the other line, each keeps its full growth.
    const { h } = unclipped(179, 6, 3);
    near(upper!.box[0][1], 13 - h / 2, 0.5, 'the upper box grows upwards in full');
  });

  it('scales boxes from the map to the image and keeps them inside it', () => {
    const map = paint(100, 50, [{ quad: bar(2, 2, 97, 20), value: 0.9 }]);
    const [found] = boxesFromProbabilityMap(map, 100, 50, 400, 200, settings);
    for (const [x, y] of found!.box) {
      assert.ok(x >= 0 && x <= 399 && y >= 0 && y <= 199, `${x}, ${y}`);
    }
    // Unclipped beyond the top and left edges, so clipped to 0; the bottom scales by 4.
    assert.equal(found!.box[0][0], 0);
    assert.equal(found!.box[0][1], 0);
    const { h } = unclipped(95, 18);
    near(found!.box[3][1], (20 + (h - 18) / 2) * 4, 2, 'bottom');
  });
});

describe('textRegions', () => {
  it('joins diagonal neighbours (8-connectivity) and keeps each row\'s two ends', () => {
    const map = new Float32Array(5 * 3);
    for (const i of [0, 6, 12, 4]) map[i] = 1; // a diagonal from (0,0) to (2,2), and (4,0) alone
    const regions = textRegions(map, 5, 3, 0.5);
    assert.equal(regions.length, 2);
    assert.deepEqual(regions[0]!.outline, [[0, 0], [1, 1], [2, 2]]);
  });

  it('scores a region by the mean over its own pixels', () => {
    const map = new Float32Array(4 * 2);
    map.set([0.4, 0.8, 0, 0, 0, 0.6, 0, 0.9]);
    const [first, second] = textRegions(map, 4, 2, 0.3);
    near(first!.score, 0.6, 1e-6, 'the three joined pixels');
    near(second!.score, 0.9, 1e-6, 'the lone pixel');
  });
});

describe('keepApart', () => {
  const kernel = minAreaRect(bar(0, 0, 100, 10));
  const grown = minAreaRect(bar(-10, -10, 110, 20));
  const ys = (quad: Quad): number[] => [Math.min(...quad.map((p) => p[1])), Math.max(...quad.map((p) => p[1]))];

  it('leaves a box alone with nothing around it, or only words on its own line', () => {
    assert.deepEqual(ys(keepApart(kernel, grown, [])), [-10, 20]);
    assert.deepEqual(ys(keepApart(kernel, grown, [bar(120, 0, 200, 10)])), [-10, 20]);
  });

  it('stops at the middle towards a line above and one below, but not at one beside it', () => {
    const above = bar(0, -16, 60, -6);
    const below = bar(50, 14, 150, 24);
    assert.deepEqual(ys(keepApart(kernel, grown, [above, below])), [-3, 12]);
    assert.deepEqual(ys(keepApart(kernel, grown, [bar(200, 14, 300, 24)])), [-10, 20], 'below but past its end');
  });
});

describe('unclip', () => {
  it('grows a square by area × ratio / perimeter with round corners', () => {
    const square: Point[] = [[0, 0], [10, 0], [10, 10], [0, 10]];
    const grown = unclip(square, 1.5);
    const d = (100 * 1.5) / 40;
    // The square, four d-wide strips along its sides and four quarter-discs at its corners.
    near(polygonArea(grown), 100 + 40 * d + Math.PI * d * d, 0.01 * polygonArea(grown), 'area');
    for (const p of grown) assert.ok(p[0] >= -d - 1e-6 && p[0] <= 10 + d + 1e-6);
  });

  it('grows more with a larger ratio, and not at all with ratio 0', () => {
    const line: Point[] = [[0, 0], [100, 0], [100, 8], [0, 8]];
    const areas = [0, 1.5, 2].map((ratio) => polygonArea(unclip(line, ratio)));
    near(areas[0]!, 800, 1e-6, 'ratio 0');
    assert.ok(areas[1]! > 800 && areas[2]! > areas[1]!);
  });
});
