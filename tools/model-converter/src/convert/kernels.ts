/** Weight and padding arithmetic between Keras (NHWC, HWIO) and ONNX (NCHW, OIHW). */

/** Keras stores a Conv2D kernel as [height, width, in, out]; ONNX Conv wants [out, in, height, width]. */
export function transposeHwioToOihw(values: Float32Array, shape: readonly number[]): { shape: number[]; values: Float32Array } {
  const [h, w, i, o] = shape;
  if (shape.length !== 4 || h === undefined || w === undefined || i === undefined || o === undefined) {
    throw new Error(`expected an HWIO kernel, got shape [${shape}]`);
  }
  if (values.length !== h * w * i * o) throw new Error(`kernel has ${values.length} values, shape [${shape}]`);
  const out = new Float32Array(values.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let ci = 0; ci < i; ci++) {
        for (let co = 0; co < o; co++) {
          out[((co * i + ci) * h + y) * w + x] = values[((y * w + x) * i + ci) * o + co]!;
        }
      }
    }
  }
  return { shape: [o, i, h, w], values: out };
}

/**
 * TF's SAME padding for stride 1: the output keeps the input's size, and when the padding is odd
 * the extra row/column goes at the end (bottom/right). Returns [before, after].
 */
export function samePadding(kernel: number, dilation = 1): [number, number] {
  const total = (kernel - 1) * dilation;
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** Keras axis of an NHWC tensor (negative counts from the end) → the same axis in NCHW. */
export function nhwcAxisToNchw(axis: number, rank = 4): number {
  const a = axis < 0 ? axis + rank : axis;
  if (rank !== 4 || a < 0 || a > 3) throw new Error(`unsupported axis ${axis} for rank ${rank}`);
  return [0, 2, 3, 1][a]!;
}
