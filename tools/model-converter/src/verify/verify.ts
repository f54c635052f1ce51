/**
 * Proves a converted model equal to its original: both run on the same seeded pseudo-random
 * images and every output value is compared, in pixel units (0–255).
 */
import { nhwcToNchw } from './layout.js';
import type { OnnxRunner, TfjsRunner } from './runners.js';
import { randomImage } from './seeded-random.js';

/** The largest difference, in pixel levels (0–255), that a conversion may show. */
export const MAX_ABS_DIFF = 1e-3;

export interface VerifyOptions {
  onnx: OnnxRunner;
  original: TfjsRunner;
  /** Input image sizes [height, width] to try. */
  sizes: [number, number][];
  /** model input = pixel × inputScale; model output = pixel × outputScale (UpscalerJS's ranges). */
  inputScale: number;
  outputScale: number;
  /** Expected output size / input size. */
  scale: number;
  channels?: number;
  seed?: number;
}

export interface CaseResult {
  height: number;
  width: number;
  /** Largest |ONNX − TF.js| over all output values, in pixel levels. */
  maxAbsDiff: number;
  /** The original's output range, in pixel levels: shows that the comparison was not of zeros. */
  outputMin: number;
  outputMax: number;
}

export interface VerifyResult {
  maxAbsDiff: number;
  cases: CaseResult[];
}

export async function compareWithOriginal(options: VerifyOptions): Promise<VerifyResult> {
  const channels = options.channels ?? 3;
  const cases: CaseResult[] = [];
  for (const [i, [height, width]] of options.sizes.entries()) {
    const pixels = randomImage(height, width, channels, (options.seed ?? 1234) + i);
    const nhwc = pixels.map((p) => p * options.inputScale);
    const expected = options.original.run({ data: nhwc, height, width, channels });
    const actual = await options.onnx.run({ data: nhwcToNchw(nhwc, height, width, channels), height, width, channels });

    const want = [height * options.scale, width * options.scale, channels];
    for (const [who, got] of [['TF.js', expected], ['ONNX', actual]] as const) {
      if (got.height !== want[0] || got.width !== want[1] || got.channels !== want[2]) {
        throw new Error(`${who} output is ${got.height}×${got.width}×${got.channels}, expected ${want.join('×')}`);
      }
    }
    const expectedNchw = nhwcToNchw(expected.data, expected.height, expected.width, expected.channels);
    let maxAbsDiff = 0;
    let outputMin = Infinity;
    let outputMax = -Infinity;
    expectedNchw.forEach((e, j) => {
      const diff = Math.abs(e - actual.data[j]!) / options.outputScale;
      // NaN must fail, so compare with "not ≤" rather than ">".
      if (!(diff <= maxAbsDiff)) maxAbsDiff = Number.isNaN(diff) ? Infinity : diff;
      outputMin = Math.min(outputMin, e / options.outputScale);
      outputMax = Math.max(outputMax, e / options.outputScale);
    });
    cases.push({ height, width, maxAbsDiff, outputMin, outputMax });
  }
  return { maxAbsDiff: Math.max(...cases.map((c) => c.maxAbsDiff)), cases };
}
