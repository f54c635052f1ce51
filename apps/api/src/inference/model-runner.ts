import type { ModelManifest } from '@dlserve/shared';
import { OnnxModel, type OnnxModelOptions } from './onnx-model.js';
import { imageDims, pixelsToTensor, writeTensorRegion } from './tensor.js';
import { coreOf, cropTile, planTiles } from './tiling.js';
import type { RgbImage, TileProgress } from './worker-protocol.js';

/**
 * A model and its manifest: turns images into tensors and back, tiles large images, and checks
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

  /** image-to-image: the image × scale, tile by tile, each output pixel from the tile that centres it. */
  async upscale(image: RgbImage, onTile: (progress: TileProgress) => void = () => {}, tiling = this.manifest.imageToImage!): Promise<RgbImage> {
    const { scale, tile, overlap } = tiling;
    const width = image.width * scale;
    const height = image.height * scale;
    const pixels = new Uint8Array(width * height * 3);
    const tiles = planTiles(image.width, image.height, tile, overlap);
    for (const [i, part] of tiles.entries()) {
      const crop = { pixels: cropTile(image.pixels, image.width, 3, part), width: part.x.size, height: part.y.size };
      const output = await this.runWhole(crop);
      const core = coreOf(part, scale);
      writeTensorRegion(output, crop.width * scale, crop.height * scale, this.manifest.output, core.region, { pixels, width }, core.x, core.y);
      onTile({ tilesDone: i + 1, tilesTotal: tiles.length });
    }
    return { pixels, width, height };
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
