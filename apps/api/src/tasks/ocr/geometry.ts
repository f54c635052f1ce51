import type { Point } from '@dlserve/shared';
import type { RgbImage } from '../task.js';

/** Four corners of a text box. */
export type Quad = [Point, Point, Point, Point];

export interface RotatedRect {
  /** Clockwise on screen (y down), starting anywhere. */
  corners: Quad;
  center: Point;
  /** Length of the side along `angle`. */
  width: number;
  /** Length of the other side. */
  height: number;
  /** Direction of the `width` side, radians. */
  angle: number;
}

const cross = (o: Point, a: Point, b: Point): number => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

/** Twice the signed area; positive when the polygon runs clockwise on screen (y down). */
export function signedArea2(polygon: readonly Point[]): number {
  let sum = 0;
  for (let i = 0; i < polygon.length; i++) {
    const a = polygon[i]!;
    const b = polygon[(i + 1) % polygon.length]!;
    sum += a[0] * b[1] - b[0] * a[1];
  }
  return sum;
}

export function polygonArea(polygon: readonly Point[]): number {
  return Math.abs(signedArea2(polygon)) / 2;
}

export function polygonPerimeter(polygon: readonly Point[]): number {
  let sum = 0;
  for (let i = 0; i < polygon.length; i++) {
    const a = polygon[i]!;
    const b = polygon[(i + 1) % polygon.length]!;
    sum += Math.hypot(b[0] - a[0], b[1] - a[1]);
  }
  return sum;
}

/** Andrew's monotone chain: the hull without collinear points, clockwise on screen (y down). */
export function convexHull(points: readonly Point[]): Point[] {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const unique = sorted.filter((p, i) => i === 0 || p[0] !== sorted[i - 1]![0] || p[1] !== sorted[i - 1]![1]);
  if (unique.length < 3) return unique;
  const lower: Point[] = [];
  for (const p of unique) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (let i = unique.length - 1; i >= 0; i--) {
    const p = unique[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  lower.pop();
  upper.pop();
  // Counter-clockwise in y-up terms is clockwise on screen.
  return lower.concat(upper);
}

/**
 * The minimum-area enclosing rectangle of a point set, by rotating calipers on its convex hull:
 * the best rectangle has a side on a hull edge, and the three other supporting points only move
 * forward as the edge turns, so one lap finds it.
 */
export function minAreaRect(points: readonly Point[]): RotatedRect {
  const hull = convexHull(points);
  const n = hull.length;
  if (n === 0) throw new Error('minAreaRect of no points');
  if (n === 1) {
    const p = hull[0]!;
    return { corners: [p, p, p, p], center: p, width: 0, height: 0, angle: 0 };
  }
  if (n === 2) {
    const [a, b] = hull as [Point, Point];
    const center: Point = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
    return { corners: [a, b, b, a], center, width: Math.hypot(b[0] - a[0], b[1] - a[1]), height: 0, angle: Math.atan2(b[1] - a[1], b[0] - a[0]) };
  }
  const dot = (k: number, v: Point): number => {
    const p = hull[k % n]!;
    return p[0] * v[0] + p[1] * v[1];
  };
  let best: { area: number; u: Point; v: Point; minU: number; maxU: number; minV: number; maxV: number } | undefined;
  let right = 0;
  let far = 0;
  let left = 0;
  for (let i = 0; i < n; i++) {
    const a = hull[i]!;
    const b = hull[(i + 1) % n]!;
    const length = Math.hypot(b[0] - a[0], b[1] - a[1]);
    const u: Point = [(b[0] - a[0]) / length, (b[1] - a[1]) / length];
    // The hull runs clockwise on screen, so its inside is on the right of each edge: (−u_y, u_x).
    const v: Point = [-u[1], u[0]];
    const minusU: Point = [-u[0], -u[1]];
    if (i === 0) {
      for (let k = 1; k < n; k++) {
        if (dot(k, u) > dot(right, u)) right = k;
        if (dot(k, v) > dot(far, v)) far = k;
        if (dot(k, minusU) > dot(left, minusU)) left = k;
      }
    } else {
      // Small tolerance: a plateau (an edge parallel to the calliper) must not stall nor loop.
      for (let s = 0; s < n && dot(right + 1, u) > dot(right, u) + 1e-12; s++) right++;
      for (let s = 0; s < n && dot(far + 1, v) > dot(far, v) + 1e-12; s++) far++;
      for (let s = 0; s < n && dot(left + 1, minusU) > dot(left, minusU) + 1e-12; s++) left++;
    }
    const minU = dot(left, u);
    const maxU = dot(right, u);
    const minV = dot(i, v);
    const maxV = dot(far, v);
    const area = (maxU - minU) * (maxV - minV);
    if (!best || area < best.area - 1e-9) best = { area, u, v, minU, maxU, minV, maxV };
  }
  const { u, v, minU, maxU, minV, maxV } = best!;
  const at = (su: number, sv: number): Point => [su * u[0] + sv * v[0], su * u[1] + sv * v[1]];
  const corners: Quad = [at(minU, minV), at(maxU, minV), at(maxU, maxV), at(minU, maxV)];
  return {
    corners: signedArea2(corners) < 0 ? [corners[0], corners[3], corners[2], corners[1]] : corners,
    center: at((minU + maxU) / 2, (minV + maxV) / 2),
    width: maxU - minU,
    height: maxV - minV,
    angle: Math.atan2(u[1], u[0]),
  };
}

/**
 * The corners clockwise on screen, starting at the top-left: the start of the edge that runs
 * most nearly left-to-right (PaddleOCR's convention; a tall box is turned by its caller).
 * Between two edges equally near (a 45° square), the longer one is the text's top.
 */
export function orderClockwise(quad: Quad): Quad {
  const q: Quad = signedArea2(quad) < 0 ? [quad[0], quad[3], quad[2], quad[1]] : [quad[0], quad[1], quad[2], quad[3]];
  let start = 0;
  let bestKey: [number, number] = [-Infinity, -Infinity];
  for (let i = 0; i < 4; i++) {
    const a = q[i]!;
    const b = q[(i + 1) % 4]!;
    const length = Math.hypot(b[0] - a[0], b[1] - a[1]);
    const rightward = length === 0 ? -1 : (b[0] - a[0]) / length;
    const key: [number, number] = [Math.round(rightward * 1e6) / 1e6, length];
    if (key[0] > bestKey[0] || (key[0] === bestKey[0] && key[1] > bestKey[1] + 1e-9)) {
      bestKey = key;
      start = i;
    }
  }
  return rotateCorners(q, start);
}

/** The same quad, starting `by` corners later (`by` = 1: the second corner becomes the first). */
export function rotateCorners(quad: Quad, by: number): Quad {
  const k = ((by % 4) + 4) % 4;
  return [quad[k]!, quad[(k + 1) % 4]!, quad[(k + 2) % 4]!, quad[(k + 3) % 4]!];
}

export function distance(a: Point, b: Point): number {
  return Math.hypot(b[0] - a[0], b[1] - a[1]);
}

/** Whether `p` is inside a convex polygon (either orientation), its edges included. */
export function insideConvex(polygon: readonly Point[], p: Point, tolerance = 1e-6): boolean {
  let sign = 0;
  for (let i = 0; i < polygon.length; i++) {
    const c = cross(polygon[i]!, polygon[(i + 1) % polygon.length]!, p);
    const length = distance(polygon[i]!, polygon[(i + 1) % polygon.length]!) || 1;
    if (Math.abs(c) / length <= tolerance) continue;
    const s = Math.sign(c);
    if (sign === 0) sign = s;
    else if (s !== sign) return false;
  }
  return true;
}

/** The 3×3 homography (row-major, h[8] = 1) taking each `from[i]` to `to[i]`. */
export function homography(from: Quad, to: Quad): Float64Array {
  // Eight equations in h0…h7: x' (h6 x + h7 y + 1) = h0 x + h1 y + h2, and the same for y'.
  const rows: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i]!;
    const [X, Y] = to[i]!;
    rows.push([x, y, 1, 0, 0, 0, -X * x, -X * y, X]);
    rows.push([0, 0, 0, x, y, 1, -Y * x, -Y * y, Y]);
  }
  for (let col = 0; col < 8; col++) {
    let pivot = col;
    for (let r = col + 1; r < 8; r++) if (Math.abs(rows[r]![col]!) > Math.abs(rows[pivot]![col]!)) pivot = r;
    if (Math.abs(rows[pivot]![col]!) < 1e-12) throw new Error('degenerate quadrilateral: no homography');
    [rows[col], rows[pivot]] = [rows[pivot]!, rows[col]!];
    const pivotRow = rows[col]!;
    for (let r = 0; r < 8; r++) {
      if (r === col) continue;
      const row = rows[r]!;
      const factor = row[col]! / pivotRow[col]!;
      if (factor === 0) continue;
      for (let c = col; c < 9; c++) row[c] = row[c]! - factor * pivotRow[c]!;
    }
  }
  const h = new Float64Array(9);
  for (let i = 0; i < 8; i++) h[i] = rows[i]![8]! / rows[i]![i]!;
  h[8] = 1;
  return h;
}

export function applyHomography(h: Float64Array, p: Point): Point {
  const w = h[6]! * p[0] + h[7]! * p[1] + h[8]!;
  return [(h[0]! * p[0] + h[1]! * p[1] + h[2]!) / w, (h[3]! * p[0] + h[4]! * p[1] + h[5]!) / w];
}

/**
 * Crops the quadrilateral `quad` (clockwise from the crop's top-left) out of an RGB image into an
 * upright `width × height` image: quad[0] lands on (0, 0), quad[1] on (width, 0), quad[2] on
 * (width, height), as OpenCV's getPerspectiveTransform + warpPerspective with pixel centres on
 * integer coordinates. Bilinear sampling; outside the image the edge pixels are repeated.
 */
export function warpQuad(image: RgbImage, quad: Quad, width: number, height: number): RgbImage {
  const w = Math.max(1, Math.round(width));
  const h = Math.max(1, Math.round(height));
  const target: Quad = [[0, 0], [w, 0], [w, h], [0, h]];
  const m = homography(target, quad);
  const out = new Uint8Array(w * h * 3);
  const { pixels, width: sw, height: sh } = image;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const d = m[6]! * x + m[7]! * y + m[8]!;
      const sx = Math.min(sw - 1, Math.max(0, (m[0]! * x + m[1]! * y + m[2]!) / d));
      const sy = Math.min(sh - 1, Math.max(0, (m[3]! * x + m[4]! * y + m[5]!) / d));
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const x1 = Math.min(sw - 1, x0 + 1);
      const y1 = Math.min(sh - 1, y0 + 1);
      const fx = sx - x0;
      const fy = sy - y0;
      const o = (y * w + x) * 3;
      for (let c = 0; c < 3; c++) {
        const top = pixels[(y0 * sw + x0) * 3 + c]! * (1 - fx) + pixels[(y0 * sw + x1) * 3 + c]! * fx;
        const bottom = pixels[(y1 * sw + x0) * 3 + c]! * (1 - fx) + pixels[(y1 * sw + x1) * 3 + c]! * fx;
        out[o + c] = Math.round(top * (1 - fy) + bottom * fy);
      }
    }
  }
  return { pixels: out, width: w, height: h };
}
