import type { Point } from '@dlserve/shared';
import type { Quad } from './geometry.js';

/** Two boxes are on one line when their vertical centres differ by less than this × their line height. */
const BAND_TOLERANCE = 0.5;

interface Placed<T> {
  item: T;
  cx: number;
  cy: number;
  /** Height of the text: the box's side across its reading direction. */
  height: number;
  /** Slope of the text's top edge, dy/dx, clamped to ±1 (45°). */
  slope: number;
}

const mid = (a: Point, b: Point): Point => [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];

function place<T extends { box: Quad }>(item: T): Placed<T> {
  const [tl, tr, br, bl] = item.box;
  const left = mid(tl, bl);
  const right = mid(tr, br);
  const dx = right[0] - left[0];
  const slope = dx > 0 ? Math.max(-1, Math.min(1, (right[1] - left[1]) / dx)) : 0;
  const height = (Math.hypot(bl[0] - tl[0], bl[1] - tl[1]) + Math.hypot(br[0] - tr[0], br[1] - tr[1])) / 2;
  return { item, cx: (left[0] + right[0]) / 2, cy: (left[1] + right[1]) / 2, height, slope };
}

/**
 * The boxes as seen with the page turned level: centres turned by minus the text's median angle,
 * slopes taken relative to it. On a rotated page a long line's centre lies further along the
 * slant than a short one's, so level centres are what tell which line comes first.
 */
function levelled<T>(placed: Placed<T>[]): Placed<T>[] {
  const angles = placed.map((p) => Math.atan(p.slope)).sort((a, b) => a - b);
  const angle = angles.length === 0 ? 0 : angles[angles.length >> 1]!;
  if (angle === 0) return placed;
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  return placed.map((p) => ({
    ...p,
    cx: p.cx * cos + p.cy * sin,
    cy: p.cy * cos - p.cx * sin,
    slope: Math.tan(Math.atan(p.slope) - angle),
  }));
}

/**
 * Reading order: bands of boxes on one line, top to bottom, each left to right, on the page
 * turned level (see `levelled`). A box joins a band when its centre is within half a line height
 * of where the band's horizontally nearest box's line runs at that x, so a slanted line broken
 * into pieces stays one band.
 */
export function readingOrder<T extends { box: Quad }>(items: readonly T[]): T[][] {
  const placed = levelled(items.map(place)).sort((a, b) => a.cy - b.cy || a.cx - b.cx);
  const bands: Placed<T>[][] = [];
  for (const box of placed) {
    let home: Placed<T>[] | undefined;
    let bestGap = Infinity;
    // Only the last few bands can hold a box this low: the boxes come sorted by centre.
    for (const band of bands.slice(-4)) {
      let nearest = band[0]!;
      for (const other of band) if (Math.abs(other.cx - box.cx) < Math.abs(nearest.cx - box.cx)) nearest = other;
      const expected = nearest.cy + nearest.slope * (box.cx - nearest.cx);
      const gap = Math.abs(box.cy - expected);
      if (gap < BAND_TOLERANCE * (box.height + nearest.height) / 2 && gap < bestGap) {
        home = band;
        bestGap = gap;
      }
    }
    if (home) home.push(box);
    else bands.push([box]);
  }
  return bands.map((band) => band.sort((a, b) => a.cx - b.cx).map((p) => p.item));
}

/** The lines' text: one band a line, its pieces joined with a space. */
export function joinBands<T extends { text: string }>(bands: readonly (readonly T[])[]): string {
  return bands.map((band) => band.map((line) => line.text).join(' ')).join('\n');
}
