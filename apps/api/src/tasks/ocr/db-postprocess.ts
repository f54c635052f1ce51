import type { OcrSettings, Point } from '@dlserve/shared';
import { EndType, inflatePathsD, JoinType } from 'clipper2-ts';
import { minAreaRect, orderClockwise, polygonArea, polygonPerimeter, type Quad, type RotatedRect } from './geometry.js';

export type DbSettings = Pick<OcrSettings, 'detectionThreshold' | 'boxThreshold' | 'unclipRatio'>;

export interface DetectedBox {
  /** Clockwise from the top-left, in the original image's pixels. */
  box: Quad;
  /**
   * Mean probability over the region's own pixels. (PaddleOCR's default scores the region's
   * rectangle, which takes in the background around a bowed line: a line of a photographed page,
   * bowed by 4 px, scored under 0.6 that way and was dropped; its own pixels score 0.8.)
   */
  score: number;
}

/** PaddleOCR's DBPostProcess limits: regions beyond this many are ignored. */
const MAX_CANDIDATES = 1000;
/** Rectangles with a short side under this (map pixels) are noise; after unclip, under this + 2. */
const MIN_SIDE = 3;

/**
 * DB post-processing: the detector's probability map (`mapWidth × mapHeight`, the size of its
 * input) to rotated text boxes in the original image (`imageWidth × imageHeight`). Each 8-connected
 * region above the threshold, scored by its mean probability, gets its minimum-area rectangle,
 * grown by `unclipRatio` (the detector is trained on shrunk text regions), fitted again and cut
 * back where it would reach into a neighbouring line (`keepApart`).
 */
export function boxesFromProbabilityMap(
  map: Float32Array,
  mapWidth: number,
  mapHeight: number,
  imageWidth: number,
  imageHeight: number,
  settings: DbSettings,
): DetectedBox[] {
  if (map.length !== mapWidth * mapHeight) throw new Error(`probability map has ${map.length} values, not ${mapWidth}×${mapHeight}`);
  const found: Array<{ kernel: RotatedRect; grown: RotatedRect; score: number }> = [];
  for (const region of textRegions(map, mapWidth, mapHeight, settings.detectionThreshold).slice(0, MAX_CANDIDATES)) {
    const kernel = minAreaRect(region.outline);
    if (Math.min(kernel.width, kernel.height) < MIN_SIDE || region.score < settings.boxThreshold) continue;
    const grown = unclip(kernel.corners, settings.unclipRatio);
    if (grown.length < 3) continue;
    const fitted = minAreaRect(grown);
    if (Math.min(fitted.width, fitted.height) < MIN_SIDE + 2) continue;
    found.push({ kernel, grown: fitted, score: region.score });
  }
  const kernels = found.map((f) => f.kernel.corners);
  const sx = imageWidth / mapWidth;
  const sy = imageHeight / mapHeight;
  return found.map(({ kernel, grown, score }, i) => {
    const box = keepApart(kernel, grown, kernels.filter((_, j) => j !== i)).map(([x, y]): Point => [
      Math.min(imageWidth - 1, Math.max(0, x * sx)),
      Math.min(imageHeight - 1, Math.max(0, y * sy)),
    ]) as Quad;
    return { box: orderClockwise(box), score };
  });
}

/**
 * The grown box of a text region, cut back across its line so that it does not reach past the
 * middle between its own kernel and a neighbouring line's (a kernel above or below it, beside it
 * along the line). Unclipping grows every box by its own height, whatever lies around it: on a
 * page set with little leading (8 px letters, 17 px apart) the crops took in half of the lines
 * above and below, and the recogniser read two lines run together.
 */
export function keepApart(kernel: RotatedRect, grown: RotatedRect, others: readonly Quad[]): Quad {
  const along: Point = [Math.cos(kernel.angle), Math.sin(kernel.angle)];
  const [ux, uy] = kernel.width >= kernel.height ? along : [-along[1], along[0]];
  const [vx, vy] = [-uy, ux];
  const [cx, cy] = grown.center;
  const span = (quad: readonly Point[], dx: number, dy: number): [number, number] => {
    const values = quad.map(([x, y]) => (x - cx) * dx + (y - cy) * dy);
    return [Math.min(...values), Math.max(...values)];
  };
  const [u0, u1] = span(grown.corners, ux, uy);
  let [v0, v1] = span(grown.corners, vx, vy);
  const [k0, k1] = span(kernel.corners, vx, vy);
  for (const other of others) {
    const [o0, o1] = span(other, ux, uy);
    if (o1 <= u0 || o0 >= u1) continue;
    const [w0, w1] = span(other, vx, vy);
    if (w1 <= k0) v0 = Math.max(v0, (w1 + k0) / 2);
    else if (w0 >= k1) v1 = Math.min(v1, (w0 + k1) / 2);
  }
  const corner = (u: number, v: number): Point => [cx + u * ux + v * vx, cy + u * uy + v * vy];
  return [corner(u0, v0), corner(u1, v0), corner(u1, v1), corner(u0, v1)];
}

export interface TextRegion {
  /** The centres of the region's leftmost and rightmost pixel on every row: its convex hull's points. */
  outline: Point[];
  /** The mean probability over the region's own pixels. */
  score: number;
}

/**
 * The 8-connected regions of pixels above `threshold`, each with its outline (the same convex hull
 * as the whole region's, at a fraction of the points) and its mean probability.
 */
export function textRegions(map: Float32Array, width: number, height: number, threshold: number): TextRegion[] {
  const labels = new Int32Array(width * height);
  const stack = new Int32Array(width * height);
  const regions: TextRegion[] = [];
  let label = 0;
  for (let start = 0; start < map.length; start++) {
    if (labels[start] !== 0 || !(map[start]! > threshold)) continue;
    label++;
    const rowMin = new Map<number, number>();
    const rowMax = new Map<number, number>();
    let top = 0;
    let sum = 0;
    let count = 0;
    stack[top++] = start;
    labels[start] = label;
    while (top > 0) {
      const i = stack[--top]!;
      sum += map[i]!;
      count++;
      const x = i % width;
      const y = (i - x) / width;
      const min = rowMin.get(y);
      if (min === undefined || x < min) rowMin.set(y, x);
      const max = rowMax.get(y);
      if (max === undefined || x > max) rowMax.set(y, x);
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const j = ny * width + nx;
          if (labels[j] === 0 && map[j]! > threshold) {
            labels[j] = label;
            stack[top++] = j;
          }
        }
      }
    }
    const outline: Point[] = [];
    for (const [y, min] of rowMin) {
      outline.push([min, y]);
      const max = rowMax.get(y)!;
      if (max !== min) outline.push([max, y]);
    }
    regions.push({ outline, score: sum / count });
  }
  return regions;
}

/**
 * Grows a polygon outwards by area × ratio / perimeter (round joins), undoing the shrink the DB
 * detector was trained with. Answers no points when the offset does not give one polygon.
 */
export function unclip(polygon: readonly Point[], ratio: number): Point[] {
  const perimeter = polygonPerimeter(polygon);
  if (perimeter === 0) return [];
  const delta = (polygonArea(polygon) * ratio) / perimeter;
  const path = polygon.map(([x, y]) => ({ x, y }));
  const result = inflatePathsD([path], delta, JoinType.Round, EndType.Polygon);
  if (result.length !== 1) return [];
  return result[0]!.map((p): Point => [p.x, p.y]);
}
