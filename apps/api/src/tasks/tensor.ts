import type { TensorSpec } from '@dlserve/shared';

/**
 * RGB pixels (interleaved, 8-bit) to a model's float input:
 * value = (pixel × scale − mean[c]) / std[c], in the model's layout and channel order.
 */
export function pixelsToTensor(pixels: Uint8Array, width: number, height: number, spec: TensorSpec): Float32Array {
  const count = width * height;
  const tensor = new Float32Array(count * 3);
  const order = spec.channels === 'BGR' ? [2, 1, 0] : [0, 1, 2];
  for (let c = 0; c < 3; c++) {
    const source = order[c]!;
    const factor = spec.scale / spec.std[c]!;
    const offset = spec.mean[c]! / spec.std[c]!;
    if (spec.layout === 'NCHW') {
      const plane = c * count;
      for (let i = 0; i < count; i++) tensor[plane + i] = pixels[i * 3 + source]! * factor - offset;
    } else {
      for (let i = 0; i < count; i++) tensor[i * 3 + c] = pixels[i * 3 + source]! * factor - offset;
    }
  }
  return tensor;
}

/** A rectangle of an image, in pixels. */
export interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Writes `region` of a model's image output (a tensor of `width × height` pixels) into an 8-bit
 * RGB image at (`x`, `y`): values turned back into pixels, clamped to 0–255 and rounded to the
 * nearest (ties to even, by the clamped array). Only the region is converted: for a tile, the
 * overlap around its core is half its output.
 */
export function writeTensorRegion(
  tensor: Float32Array,
  width: number,
  height: number,
  spec: TensorSpec,
  region: Region,
  target: { pixels: Uint8Array; width: number },
  x: number,
  y: number,
): void {
  const count = width * height;
  if (tensor.length !== count * 3) throw new Error(`expected ${count * 3} values for ${width}×${height}×3, got ${tensor.length}`);
  const out = new Uint8ClampedArray(target.pixels.buffer, target.pixels.byteOffset, target.pixels.length);
  // Where channel c of pixel i is: NCHW planes, or NHWC interleaved.
  const [channelStride, pixelStride] = spec.layout === 'NCHW' ? [count, 1] : [1, 3];
  // Tensor channel c goes to RGB byte t_c of the pixel, with value × f_c + o_c.
  const [t0, t1, t2] = spec.channels === 'BGR' ? [2, 1, 0] : [0, 1, 2];
  const [f0, f1, f2] = spec.std.map((std) => std / spec.scale) as [number, number, number];
  const [o0, o1, o2] = spec.mean.map((mean) => mean / spec.scale) as [number, number, number];
  const [s1, s2] = [channelStride, 2 * channelStride];
  for (let row = 0; row < region.height; row++) {
    let from = ((region.top + row) * width + region.left) * pixelStride;
    let pixel = ((y + row) * target.width + x) * 3;
    for (const end = pixel + region.width * 3; pixel < end; pixel += 3, from += pixelStride) {
      out[pixel + t0] = tensor[from]! * f0 + o0;
      out[pixel + t1] = tensor[from + s1]! * f1 + o1;
      out[pixel + t2] = tensor[from + s2]! * f2 + o2;
    }
  }
}

/** An image output (a tensor of `width × height` pixels) as 8-bit RGB: all of it, or only `region`. */
export function tensorToPixels(
  tensor: Float32Array,
  width: number,
  height: number,
  spec: TensorSpec,
  region: Region = { left: 0, top: 0, width, height },
): Uint8Array {
  const pixels = new Uint8Array(region.width * region.height * 3);
  writeTensorRegion(tensor, width, height, spec, region, { pixels, width: region.width }, 0, 0);
  return pixels;
}

/** The dims of one image tensor in a layout. */
export function imageDims(layout: TensorSpec['layout'], batch: number, width: number, height: number): number[] {
  return layout === 'NCHW' ? [batch, 3, height, width] : [batch, height, width, 3];
}

/** Softmax unless the values already look like probabilities, then the `k` best. */
export function topK(scores: Float32Array, k: number): Array<{ index: number; score: number }> {
  const sum = scores.reduce((total, value) => total + value, 0);
  const isProbability = scores.every((value) => value >= 0 && value <= 1) && Math.abs(sum - 1) < 1e-3;
  let probabilities: Float32Array = scores;
  if (!isProbability) {
    const max = scores.reduce((m, value) => Math.max(m, value), -Infinity);
    const exps = scores.map((value) => Math.exp(value - max));
    const total = exps.reduce((t, value) => t + value, 0);
    probabilities = exps.map((value) => value / total);
  }
  return Array.from(probabilities, (score, index) => ({ index, score }))
    .sort((a, b) => b.score - a.score)
    .slice(0, k);
}
