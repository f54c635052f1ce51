/** Moves a single image between NHWC (TF.js) and NCHW (ONNX). */
export function nhwcToNchw(data: Float32Array, height: number, width: number, channels: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) out[(c * height + y) * width + x] = data[(y * width + x) * channels + c]!;
    }
  }
  return out;
}

export function nchwToNhwc(data: Float32Array, height: number, width: number, channels: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) out[(y * width + x) * channels + c] = data[(c * height + y) * width + x]!;
    }
  }
  return out;
}
