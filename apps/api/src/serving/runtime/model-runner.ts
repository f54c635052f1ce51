import type { ModelManifest } from '@dlserve/shared';
import { OnnxModel, type OnnxModelOptions } from '../../infrastructure/onnx/onnx-model.js';
import { imageDims, pixelsToTensor, tensorToPixels, type Region } from '../../tasks/tensor.js';
import type { RgbImage } from './worker-protocol.js';

/**
 * A model and its manifest: turns images into tensors and back, and checks
 * at load time that the manifest matches the graph. Runs inside a model worker.
 */
export class ModelRunner {
  private constructor(
    private readonly model: OnnxModel,
    readonly manifest: ModelManifest,
  ) {}

  static async load(manifest: ModelManifest, weightsPath: string, options: OnnxModelOptions): Promise<ModelRunner> {
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
    return new ModelRunner(model, manifest);
  }

  /** A small input through the whole path, so the first real request does not pay for start-up. */
  async warmUp(): Promise<void> {
    const size = this.manifest.classification?.size ?? Math.min(this.manifest.imageToImage?.tile ?? 32, 64);
    await this.runWhole({ pixels: new Uint8Array(size * size * 3).fill(128), width: size, height: size });
  }

  /**
   * image-to-image on the image as one input (the caller tiles large images: see
   * `upscaleInTiles`); answers the output, or only its `region`.
   */
  async upscale(image: RgbImage, region?: Region): Promise<RgbImage> {
    const { scale } = this.manifest.imageToImage!;
    const [width, height] = [image.width * scale, image.height * scale];
    const pixels = tensorToPixels(await this.runWhole(image), width, height, this.manifest.output, region);
    return { pixels, width: region?.width ?? width, height: region?.height ?? height };
  }

  /** image-classification: the model's raw scores for an image already at its input size. */
  async classify(image: RgbImage): Promise<Float32Array> {
    return Float32Array.from(await this.runWhole(image));
  }

  release(): Promise<void> {
    return this.model.release();
  }

  private async runWhole(image: RgbImage): Promise<Float32Array> {
    const { input, output } = this.manifest;
    const tensor = pixelsToTensor(image.pixels, image.width, image.height, input);
    const dims = imageDims(input.layout, 1, image.width, image.height);
    return (await this.model.run(input.name, tensor, dims, output.name)).data;
  }
}
