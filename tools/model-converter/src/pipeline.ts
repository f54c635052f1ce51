/**
 * One model from npm package to verified ONNX: read the TF.js files, convert, run both on the
 * same inputs, and only then produce the files for models/<name>/.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelManifest } from '@dlserve/shared';
import { convertLayersModel } from './convert/layers-to-onnx.js';
import type { ModelSpec } from './models.js';
import { encodeModel } from './onnx/onnx-proto.js';
import { readLayersModel } from './tfjs/layers-model.js';
import { loadUpscalerPackage, type UpscalerPackage } from './tfjs/upscaler-package.js';
import { fileSystemHandler, OnnxRunner, TfjsRunner } from './verify/runners.js';
import { compareWithOriginal, MAX_ABS_DIFF, type VerifyResult } from './verify/verify.js';

export const LICENCE_URL = 'https://github.com/thekevinscott/UpscalerJS/blob/main/LICENSE';

export interface ConvertedUpscaler {
  spec: ModelSpec;
  pkg: UpscalerPackage;
  onnx: Uint8Array;
  manifest: ModelManifest;
  verification: VerifyResult;
  receptiveRadius: number;
}

/**
 * The factor from pixels (0–255) to the model's values. UpscalerJS declares a range per model:
 * slim and medium work on 0–255, thick on 0–1.
 */
export function pixelScale(range: [number, number] | undefined): number {
  const [min, max] = range ?? [0, 255];
  if (min !== 0 || !(max > 0)) throw new Error(`unsupported value range [${min}, ${max}]`);
  return max / 255;
}

/** Loads the original with TF.js, its custom layers registered by the package's own setup(). */
export async function loadOriginal(pkg: UpscalerPackage): Promise<TfjsRunner> {
  pkg.definition.setup?.(tf);
  return TfjsRunner.load(fileSystemHandler(pkg.modelJsonPath));
}

export async function verifyAgainstOriginal(
  pkg: UpscalerPackage,
  onnx: Uint8Array,
  sizes: [number, number][],
): Promise<VerifyResult> {
  const original = await loadOriginal(pkg);
  const converted = await OnnxRunner.create(onnx);
  try {
    return await compareWithOriginal({
      onnx: converted,
      original,
      sizes,
      inputScale: pixelScale(pkg.definition.inputRange),
      outputScale: pixelScale(pkg.definition.outputRange),
      scale: pkg.definition.scale,
    });
  } finally {
    original.dispose();
    await converted.release();
  }
}

function formatDiff(d: number): string {
  return d === 0 ? '0' : d.toExponential(1);
}

export function sizesText(sizes: [number, number][]): string {
  const parts = sizes.map(([h, w]) => `${w}×${h}`);
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts.join('');
}

/**
 * Small crops of the public-domain/CC0 photos in fixtures/photos, committed in each model folder
 * (small, so that even thick answers in seconds).
 */
export const EXAMPLE_IMAGES = ['cat.jpg', 'coffee.jpg', 'astronaut.jpg'] as const;

export function buildManifest(spec: ModelSpec, pkg: UpscalerPackage, verification: VerifyResult): ModelManifest {
  const inScale = pixelScale(pkg.definition.inputRange);
  const outScale = pixelScale(pkg.definition.outputRange);
  const tensor = (name: string, scale: number) => ({
    name,
    layout: 'NCHW' as const,
    channels: 'RGB' as const,
    scale,
    mean: [0, 0, 0] as [number, number, number],
    std: [1, 1, 1] as [number, number, number],
  });
  const range = (s: number): string => (s === 1 ? '0–255' : '0–1');
  return {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    task: 'image-to-image',
    weights: 'model.onnx',
    input: tensor('input', inScale),
    output: tensor('output', outScale),
    imageToImage: { scale: spec.scale, tile: spec.tile, overlap: spec.overlap },
    licence: { name: 'MIT', url: LICENCE_URL },
    examples: [...EXAMPLE_IMAGES],
    source: {
      url: `https://www.npmjs.com/package/${pkg.name}`,
      notes:
        `Converted from ${pkg.name}@${pkg.version} models/x${spec.scale} (TF.js layers, values ${range(inScale)} in, ` +
        `${range(outScale)} out) by tools/model-converter; verified against TF.js: ` +
        `max |Δ| = ${formatDiff(verification.maxAbsDiff)} pixel levels (0–255) on ${sizesText(spec.verifySizes)} (width×height) seeded random inputs`,
    },
  };
}

/** Reads the package's TF.js files and builds the ONNX bytes, unverified. Deterministic. */
export async function convertUnverified(spec: ModelSpec): Promise<{ pkg: UpscalerPackage; onnx: Uint8Array; receptiveRadius: number }> {
  const pkg = await loadUpscalerPackage(spec.package, spec.scale);
  const source = await readLayersModel(pkg.modelJsonPath);
  const converted = convertLayersModel(source, {
    name: spec.name,
    docString: `${spec.title.en}: ${pkg.name}@${pkg.version} models/x${spec.scale}, converted by @dlserve/model-converter.`,
    metadata: { source: `${pkg.name}@${pkg.version}/models/x${spec.scale}`, licence: 'MIT' },
  });
  if (converted.scale !== spec.scale) throw new Error(`${spec.name}: the graph scales by ${converted.scale}, not ${spec.scale}`);
  return { pkg, onnx: encodeModel(converted.model), receptiveRadius: converted.receptiveRadius };
}

/** Converts and verifies one model; throws, so nothing gets written, when the ONNX model differs. */
export async function convertUpscaler(spec: ModelSpec): Promise<ConvertedUpscaler> {
  const { pkg, onnx, receptiveRadius } = await convertUnverified(spec);
  const verification = await verifyAgainstOriginal(pkg, onnx, spec.verifySizes);
  if (!(verification.maxAbsDiff <= MAX_ABS_DIFF)) {
    throw new Error(`${spec.name}: max |Δ| ${verification.maxAbsDiff} exceeds ${MAX_ABS_DIFF}; not written`);
  }
  return { spec, pkg, onnx, manifest: buildManifest(spec, pkg, verification), verification, receptiveRadius };
}
