import type { RgbImage } from '../worker-protocol.js';

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
  for (let y = 0; y < height; y++) {
    const sy = Math.min(sh - 1, Math.max(0, (y + 0.5) * scaleY - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(sh - 1, y0 + 1);
    const fy = sy - y0;
    const row0 = y0 * sw * 3;
    const row1 = y1 * sw * 3;
    for (let x = 0; x < width; x++) {
      const a = x0s[x]! * 3;
      const b = x1s[x]! * 3;
      const fx = fxs[x]!;
      const o = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) {
        const top = pixels[row0 + a + c]! + (pixels[row0 + b + c]! - pixels[row0 + a + c]!) * fx;
        const bottom = pixels[row1 + a + c]! + (pixels[row1 + b + c]! - pixels[row1 + a + c]!) * fx;
        out[o + c] = Math.round(top + (bottom - top) * fy);
      }
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
