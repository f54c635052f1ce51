/**
 * SSIM on the luma plane, computed the way scikit-image's `structural_similarity` does by default:
 * a 7×7 uniform window, K1 = 0.01, K2 = 0.03, data range 255, sample covariance (N / (N − 1)), and
 * the mean taken over the windows that fit wholly inside the image.
 *
 * Window sums slide down the rows and along the columns, so the cost is O(1) per pixel whatever
 * the window size.
 */

/** A single-channel plane of values in 0..255, row-major. */
export interface LumaPlane {
  readonly data: Float64Array;
  readonly width: number;
  readonly height: number;
}

const WINDOW = 7;
const DATA_RANGE = 255;
const C1 = (0.01 * DATA_RANGE) ** 2;
const C2 = (0.03 * DATA_RANGE) ** 2;
/** Alpha is composited over this grey, so transparent pixels compare equal whatever RGB they hide. */
const BACKDROP = 128;

/**
 * BT.601 luma of interleaved 8-bit pixels with 1 (grey), 2 (grey + alpha), 3 (RGB) or 4 (RGBA)
 * channels. With alpha, the pixel is first composited over mid-grey: an alpha error then shows up
 * as a luma error, and the RGB of fully transparent pixels does not count.
 */
export function lumaPlane(pixels: Uint8Array, width: number, height: number, channels: number): LumaPlane {
  const count = width * height;
  if (pixels.length < count * channels) throw new Error('lumaPlane: pixel buffer is too short');
  const data = new Float64Array(count);
  const hasAlpha = channels === 2 || channels === 4;
  const isGrey = channels <= 2;
  for (let i = 0, p = 0; i < count; i++, p += channels) {
    const y = isGrey
      ? pixels[p]!
      : 0.299 * pixels[p]! + 0.587 * pixels[p + 1]! + 0.114 * pixels[p + 2]!;
    if (hasAlpha) {
      const a = pixels[p + channels - 1]! / 255;
      data[i] = y * a + BACKDROP * (1 - a);
    } else {
      data[i] = y;
    }
  }
  return { data, width, height };
}

/** The largest odd window ≤ 7 that fits, so tiny images still get a score. */
function windowSizeFor(width: number, height: number): number {
  const fit = Math.min(WINDOW, width, height);
  return fit % 2 === 1 ? fit : fit - 1;
}

/** Mean and variance of the reference plane in every window, row-major. */
interface WindowStats {
  mean: Float64Array;
  variance: Float64Array;
}

/**
 * A compression search compares one reference with many candidates, so the reference's half of
 * the work is done once and kept with the plane (weakly: it goes when the plane does). Planes are
 * never changed once made, so the cache cannot go stale.
 */
const referenceStats = new WeakMap<LumaPlane, WindowStats>();

/**
 * Mean SSIM of two planes of the same size; 1 for identical planes. The first is taken to be the
 * reference: its window statistics are cached for the next comparison with it.
 */
export function ssim(a: LumaPlane, b: LumaPlane): number {
  const { width, height } = a;
  if (b.width !== width || b.height !== height) throw new Error('ssim: planes differ in size');
  if (width === 0 || height === 0) throw new Error('ssim: empty plane');
  const win = windowSizeFor(width, height);
  const n = win * win;
  const covNorm = n > 1 ? n / (n - 1) : 1;
  const stats = statsOf(a, win);
  const x = a.data;
  const y = b.data;

  // Per-column sums over the current band of `win` rows.
  const colY = new Float64Array(width);
  const colYY = new Float64Array(width);
  const colXY = new Float64Array(width);
  const addRow = (row: number, sign: number): void => {
    const offset = row * width;
    for (let c = 0; c < width; c++) {
      const xv = x[offset + c]!;
      const yv = y[offset + c]!;
      colY[c]! += sign * yv;
      colYY[c]! += sign * yv * yv;
      colXY[c]! += sign * xv * yv;
    }
  };
  for (let r = 0; r < win; r++) addRow(r, 1);

  let total = 0;
  let w = 0; // window index into the reference's stats
  for (let top = 0; top + win <= height; top++) {
    if (top > 0) {
      addRow(top - 1, -1);
      addRow(top + win - 1, 1);
    }
    let sy = 0, syy = 0, sxy = 0;
    for (let c = 0; c < win; c++) {
      sy += colY[c]!; syy += colYY[c]!; sxy += colXY[c]!;
    }
    for (let left = 0; ; left++) {
      const ux = stats.mean[w]!;
      const vx = stats.variance[w++]!;
      const uy = sy / n;
      const vy = covNorm * (syy / n - uy * uy);
      const vxy = covNorm * (sxy / n - ux * uy);
      total += ((2 * ux * uy + C1) * (2 * vxy + C2)) / ((ux * ux + uy * uy + C1) * (vx + vy + C2));
      const enter = left + win;
      if (enter >= width) break;
      sy += colY[enter]! - colY[left]!;
      syy += colYY[enter]! - colYY[left]!;
      sxy += colXY[enter]! - colXY[left]!;
    }
  }
  return total / ((width - win + 1) * (height - win + 1));
}

function statsOf(plane: LumaPlane, win: number): WindowStats {
  let stats = referenceStats.get(plane);
  if (!stats) {
    stats = windowStats(plane, win);
    referenceStats.set(plane, stats);
  }
  return stats;
}

/** The same sliding sums as `ssim`, for one plane, summed in the same order so results match. */
function windowStats({ data: x, width, height }: LumaPlane, win: number): WindowStats {
  const n = win * win;
  const covNorm = n > 1 ? n / (n - 1) : 1;
  const windows = (width - win + 1) * (height - win + 1);
  const mean = new Float64Array(windows);
  const variance = new Float64Array(windows);
  const colX = new Float64Array(width);
  const colXX = new Float64Array(width);
  const addRow = (row: number, sign: number): void => {
    const offset = row * width;
    for (let c = 0; c < width; c++) {
      const xv = x[offset + c]!;
      colX[c]! += sign * xv;
      colXX[c]! += sign * xv * xv;
    }
  };
  for (let r = 0; r < win; r++) addRow(r, 1);

  let w = 0;
  for (let top = 0; top + win <= height; top++) {
    if (top > 0) {
      addRow(top - 1, -1);
      addRow(top + win - 1, 1);
    }
    let sx = 0, sxx = 0;
    for (let c = 0; c < win; c++) {
      sx += colX[c]!; sxx += colXX[c]!;
    }
    for (let left = 0; ; left++) {
      const ux = sx / n;
      mean[w] = ux;
      variance[w++] = covNorm * (sxx / n - ux * ux);
      const enter = left + win;
      if (enter >= width) break;
      sx += colX[enter]! - colX[left]!;
      sxx += colXX[enter]! - colXX[left]!;
    }
  }
  return { mean, variance };
}
