import type { RgbImage } from '../task.js';

/**
 * Bilinear resize of an interleaved RGB image, sampling as OpenCV's INTER_LINEAR (pixel centres at
 * half-pixel offsets), which is what PaddleOCR's models saw in training.
 */
export function resizeBilinear(image: RgbImage, width: number, height: number): RgbImage {
  const { pixels, width: sw, height: sh } = image;
  if (width === sw && height === sh) return { pixels: pixels.slice(), width, height };
  const out = new Uint8Array(width * height * 3);
  const scaleX = sw / width;
  const scaleY = sh / height;
  const x0s = new Int32Array(width);
  const x1s = new Int32Array(width);
  const fxs = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const sx = Math.min(sw - 1, Math.max(0, (x + 0.5) * scaleX - 0.5));
    x0s[x] = Math.floor(sx);
    x1s[x] = Math.min(sw - 1, x0s[x]! + 1);
    fxs[x] = sx - x0s[x]!;
  }
  let o = 0;
  for (let y = 0; y < height; y++) {
    const sy = Math.min(sh - 1, Math.max(0, (y + 0.5) * scaleY - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(sh - 1, y0 + 1);
    const fy = sy - y0;
    const row0 = y0 * sw * 3;
    const row1 = y1 * sw * 3;
    for (let x = 0; x < width; x++, o += 3) {
      const a0 = row0 + x0s[x]! * 3;
      const b0 = row0 + x1s[x]! * 3;
      const a1 = row1 + x0s[x]! * 3;
      const b1 = row1 + x1s[x]! * 3;
      const fx = fxs[x]!;
      // Channels written out: the per-pixel loop was the detector's slowest step in JS.
      // A Uint8Array truncates, so + 0.5 rounds (values are 0–255).
      const r = pixels[a0]! + (pixels[b0]! - pixels[a0]!) * fx;
      out[o] = r + (pixels[a1]! + (pixels[b1]! - pixels[a1]!) * fx - r) * fy + 0.5;
      const g = pixels[a0 + 1]! + (pixels[b0 + 1]! - pixels[a0 + 1]!) * fx;
      out[o + 1] = g + (pixels[a1 + 1]! + (pixels[b1 + 1]! - pixels[a1 + 1]!) * fx - g) * fy + 0.5;
      const b = pixels[a0 + 2]! + (pixels[b0 + 2]! - pixels[a0 + 2]!) * fx;
      out[o + 2] = b + (pixels[a1 + 2]! + (pixels[b1 + 2]! - pixels[a1 + 2]!) * fx - b) * fy + 0.5;
    }
  }
  return { pixels: out, width, height };
}

/** The image turned upside down. */
export function rotate180(image: RgbImage): RgbImage {
  const { pixels, width, height } = image;
  const count = width * height;
  const out = new Uint8Array(count * 3);
  for (let i = 0; i < count; i++) {
    const j = count - 1 - i;
    out[j * 3] = pixels[i * 3]!;
    out[j * 3 + 1] = pixels[i * 3 + 1]!;
    out[j * 3 + 2] = pixels[i * 3 + 2]!;
  }
  return { pixels: out, width, height };
}

/** The image's left `width` columns; the image itself when it is no wider. */
export function cropLeft(image: RgbImage, width: number): RgbImage {
  const { pixels, width: sw, height } = image;
  if (width >= sw) return image;
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) out.set(pixels.subarray(y * sw * 3, (y * sw + width) * 3), y * width * 3);
  return { pixels: out, width, height };
}

/**
 * Unsharp masking: each value plus `amount` times its difference from the mean of its 3×3
 * neighbourhood (edges repeated), clamped. Steepens the edges blur and JPEG have softened.
 * The neighbourhood sums are separable: a row of vertical sums, then three of them across.
 */
export function sharpen(image: RgbImage, amount: number): RgbImage {
  const { pixels, width, height } = image;
  const stride = width * 3;
  const out = new Uint8ClampedArray(pixels.length);
  const columns = new Int32Array(stride);
  const ofMean = amount / 9;
  for (let y = 0; y < height; y++) {
    const above = Math.max(0, y - 1) * stride;
    const row = y * stride;
    const below = Math.min(height - 1, y + 1) * stride;
    for (let i = 0; i < stride; i++) columns[i] = pixels[above + i]! + pixels[row + i]! + pixels[below + i]!;
    for (let x = 0; x < width; x++) {
      const [left, centre, right] = [Math.max(0, x - 1) * 3, x * 3, Math.min(width - 1, x + 1) * 3];
      for (let c = 0; c < 3; c++) {
        const value = pixels[row + centre + c]!;
        out[row + centre + c] = value * (1 + amount) - ofMean * (columns[left + c]! + columns[centre + c]! + columns[right + c]!);
      }
    }
  }
  return { pixels: new Uint8Array(out.buffer), width, height };
}
