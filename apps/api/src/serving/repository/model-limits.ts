import type { ModelInputLimits, ModelManifest } from '@dlserve/shared';
import { megapixels, type ImageInfo } from '../../infrastructure/imaging/image-codec.js';
import { AppError } from '../../platform/errors/app-error.js';
import { forFile, type UploadedImage } from '../../platform/http/parse-images.pipe.js';

/**
 * A manifest's limits with the defaults filled in: a model without `limits` takes inputs up to
 * 4 MP and 8192 pixels a side, and an image-to-image model outputs up to 16 MP.
 */
export const DEFAULT_MODEL_LIMITS: Readonly<Required<ModelInputLimits>> = {
  maxInputMegapixels: 4,
  maxOutputMegapixels: 16,
  maxSide: 8192,
  minSide: 1,
};

export function modelLimits(manifest: ModelManifest): Required<ModelInputLimits> {
  return { ...DEFAULT_MODEL_LIMITS, ...manifest.limits };
}

/**
 * Refuses, from the header already read at the edge, an image the model must not run on: too
 * many pixels in (413), too many out for an upscale (413), a side too long (413) or too short
 * (422). The message names the limit and the image's size. Nothing has been decoded yet.
 */
export function checkModelLimits(manifest: ModelManifest, info: Pick<ImageInfo, 'width' | 'height'>): void {
  const limits = modelLimits(manifest);
  const { width, height } = info;
  const model = `The model '${manifest.name}'`;
  const size = `the image is ${width}×${height} pixels (${megapixels(width * height)} MP)`;
  if (width * height > limits.maxInputMegapixels * 1e6) {
    throw new AppError('image_too_large', `${model} takes images of at most ${limits.maxInputMegapixels} megapixels; ${size}.`);
  }
  const scale = manifest.imageToImage?.scale;
  if (scale !== undefined) {
    const out = width * scale * height * scale;
    if (out > limits.maxOutputMegapixels * 1e6) {
      throw new AppError(
        'image_too_large',
        `${model} makes outputs of at most ${limits.maxOutputMegapixels} megapixels (×${scale}: inputs up to ` +
          `${megapixels((limits.maxOutputMegapixels * 1e6) / (scale * scale))} MP); ${size}, its output would be ${megapixels(out)} MP.`,
      );
    }
  }
  if (Math.max(width, height) > limits.maxSide) {
    throw new AppError('image_too_large', `${model} takes images of at most ${limits.maxSide} pixels a side; ${size}.`);
  }
  if (Math.min(width, height) < limits.minSide) {
    throw new AppError('unsupported_image', `${model} needs images of at least ${limits.minSide} pixels a side; ${size}.`);
  }
}

/** `checkModelLimits` for each uploaded image, the first one past a limit named in the error. */
export async function checkImagesFit(manifest: ModelManifest, images: readonly UploadedImage[]): Promise<void> {
  for (const image of images) await forFile(image.name, () => checkModelLimits(manifest, image.info));
}
