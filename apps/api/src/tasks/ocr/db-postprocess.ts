import type { OcrSettings, Point } from '@dlserve/shared';
import { EndType, inflatePathsD, JoinType } from 'clipper2-ts';
import { minAreaRect, orderClockwise, polygonArea, polygonPerimeter, signedArea2, type Quad } from './geometry.js';

export type DbSettings = Pick<OcrSettings, 'detectionThreshold' | 'boxThreshold' | 'unclipRatio'>;

export interface DetectedBox {
  /** Clockwise from the top-left, in the original image's pixels. */
  box: Quad;
  /** Mean probability inside the region's rectangle, before it was grown. */
  score: number;
}

/** PaddleOCR's DBPostProcess limits: regions beyond this many are ignored. */
const MAX_CANDIDATES = 1000;
/** Rectangles with a short side under this (map pixels) are noise; after unclip, under this + 2. */
const MIN_SIDE = 3;

/**
 * DB post-processing: the detector's probability map (`mapWidth × mapHeight`, the size of its
 * input) to rotated text boxes in the original image (`imageWidth × imageHeight`). Each 8-connected
 * region above the threshold gets its minimum-area rectangle, scored by the mean probability
 * inside it, grown by `unclipRatio` (the detector is trained on shrunk text regions) and fitted
 * again.
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
  const boxes: DetectedBox[] = [];
  const regions = textRegions(map, mapWidth, mapHeight, settings.detectionThreshold);
  for (const outline of regions.slice(0, MAX_CANDIDATES)) {
    const rect = minAreaRect(outline);
    if (Math.min(rect.width, rect.height) < MIN_SIDE) continue;
    const score = meanInside(map, mapWidth, mapHeight, rect.corners);
    if (score < settings.boxThreshold) continue;
    const grown = unclip(rect.corners, settings.unclipRatio);
    if (grown.length < 3) continue;
    const fitted = minAreaRect(grown);
    if (Math.min(fitted.width, fitted.height) < MIN_SIDE + 2) continue;
    const sx = imageWidth / mapWidth;
    const sy = imageHeight / mapHeight;
    const box = fitted.corners.map(([x, y]): Point => [
      Math.min(imageWidth - 1, Math.max(0, x * sx)),
      Math.min(imageHeight - 1, Math.max(0, y * sy)),
    ]) as Quad;
    boxes.push({ box: orderClockwise(box), score });
  }
  return boxes;
}

/**
 * The 8-connected regions of pixels above `threshold`, each as the centres of its leftmost and
 * rightmost pixel on every row: the same convex hull as the whole region's, at a fraction of the points.
 */
export function textRegions(map: Float32Array, width: number, height: number, threshold: number): Point[][] {
  const labels = new Int32Array(width * height);
  const stack = new Int32Array(width * height);
  const regions: Point[][] = [];
  let label = 0;
  for (let start = 0; start < map.length; start++) {
    if (labels[start] !== 0 || !(map[start]! > threshold)) continue;
    label++;
    const rowMin = new Map<number, number>();
    const rowMax = new Map<number, number>();
    let top = 0;
    stack[top++] = start;
    labels[start] = label;
    while (top > 0) {
      const i = stack[--top]!;
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
    regions.push(outline);
  }
  return regions;
}

/** How far (map pixels) outside an edge a pixel centre still counts as inside: rounding slack. */
const EDGE_TOLERANCE = 1e-3;

/**
 * Mean of the map over the pixels whose centres are inside a convex quadrilateral (edges included,
 * within EDGE_TOLERANCE). Row by row: each edge bounds the row's inside to one side of an x, so a
 * row is one run of pixels, summed without a per-pixel test (this ran for every region found).
 */
export function meanInside(map: Float32Array, width: number, height: number, quad: Quad): number {
  const ys = quad.map((p) => p[1]);
  const y0 = Math.max(0, Math.floor(Math.min(...ys)));
  const y1 = Math.min(height - 1, Math.ceil(Math.max(...ys)));
  // Inside is on the right of every edge when the corners run clockwise on screen, else on the left.
  const side = signedArea2(quad) >= 0 ? 1 : -1;
  let sum = 0;
  let count = 0;
  for (let y = y0; y <= y1; y++) {
    let from = 0;
    let to = width - 1;
    for (let i = 0; i < 4 && from <= to; i++) {
      const [ax, ay] = quad[i]!;
      const [bx, by] = quad[(i + 1) % 4]!;
      const length = Math.hypot(bx - ax, by - ay) || 1;
      // The distance of (x, y) from the edge's line, positive inside: slope · x + offset.
      const slope = (-side * (by - ay)) / length;
      const offset = (side * ((bx - ax) * (y - ay) + (by - ay) * ax)) / length;
      const bound = (-EDGE_TOLERANCE - offset) / (slope === 0 ? 1 : slope);
      if (slope > 0) from = Math.max(from, Math.ceil(bound));
      else if (slope < 0) to = Math.min(to, Math.floor(bound));
      else if (offset < -EDGE_TOLERANCE) to = -1;
    }
    for (let x = from, i = y * width + from; x <= to; x++, i++) sum += map[i]!;
    if (to >= from) count += to - from + 1;
  }
  return count === 0 ? 0 : sum / count;
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
