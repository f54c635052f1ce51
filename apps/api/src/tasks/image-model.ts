import type { ModelManifest } from '@dlserve/shared';
import { OnnxModel, type OnnxModelOptions } from '../infrastructure/onnx/onnx-model.js';
import type { RgbImage } from './task.js';
import { imageDims, pixelsToTensor } from './tensor.js';

/**
 * An image-in model and its manifest: turns images into one input tensor and answers the raw
 * output per image. Checks at load time that the manifest matches the graph. Runs in a worker.
 */
export class ImageModel {
  private constructor(
    private readonly model: OnnxModel,
    readonly manifest: ModelManifest,
  ) {}

  static async load(manifest: ModelManifest, weightsPath: string, options: OnnxModelOptions): Promise<ImageModel> {
    const model = await OnnxModel.load(weightsPath, options);
    for (const [what, name, names] of [
      ['input', manifest.input.name, model.inputNames],
      ['output', manifest.output.name, model.outputNames],
    ] as const) {
      if (!names.includes(name)) {
        await model.release();
        throw new Error(`model.json's ${what} '${name}' is not in the ONNX graph, whose ${what}s are: ${names.join(', ')}`);
      }
    }
    return new ImageModel(model, manifest);
  }

  /** The session itself, for requests that bring their own tensors. */
  get session(): OnnxModel {
    return this.model;
  }

  release(): Promise<void> {
    return this.model.release();
  }

  /**
   * Runs images of one size as one batch (a tensor of N images); answers each image's output,
   * a view into the batch's output.
   */
  async run(images: readonly RgbImage[]): Promise<Float32Array[]> {
    const { input, output } = this.manifest;
    const [first] = images;
    if (!first) return [];
    const { width, height } = first;
    const size = width * height * 3;
    if (images.some((image) => image.width !== width || image.height !== height)) {
      throw new Error('the images of a batch must all be the same size');
    }
    const tensor = images.length === 1 ? pixelsToTensor(first.pixels, width, height, input) : new Float32Array(images.length * size);
    if (images.length > 1) for (const [i, image] of images.entries()) tensor.set(pixelsToTensor(image.pixels, width, height, input), i * size);
    const { data } = await this.model.run(input.name, tensor, imageDims(input.layout, images.length, width, height), output.name);
    const each = data.length / images.length;
    return images.map((_, i) => data.subarray(i * each, (i + 1) * each));
  }
}
