import { ImageModel } from '../image-model.js';
import { tensorToPixels, type Region } from '../tensor.js';
import type { LoadExecutor, RgbImage, TaskExecutor } from '../task.js';

/** A tile (or a whole small image) to upscale; `region`: only this part of the output is wanted. */
export interface UpscaleInput {
  image: RgbImage;
  region?: Region;
}

/** Runs tiles of one size as one batch: the scheduler groups them by `batchKey` (their size). */
export const loadExecutor: LoadExecutor = async ({ manifest, weightsPath, runtime }) => {
  const model = await ImageModel.load(manifest, weightsPath, runtime);
  const { scale, tile } = manifest.imageToImage!;
  const executor: TaskExecutor<UpscaleInput, RgbImage> = {
    session: model.session,
    async warmUp() {
      const size = Math.min(tile, 64);
      await model.run([{ pixels: new Uint8Array(size * size * 3).fill(128), width: size, height: size }]);
    },
    async execute(inputs) {
      const outputs = await model.run(inputs.map((input) => input.image));
      const images = inputs.map(({ image, region }, i): RgbImage => {
        const [width, height] = [image.width * scale, image.height * scale];
        const pixels = tensorToPixels(outputs[i]!, width, height, manifest.output, region);
        return { pixels, width: region?.width ?? width, height: region?.height ?? height };
      });
      return { outputs: images, transfer: images.map((image) => image.pixels.buffer as ArrayBuffer) };
    },
    release: () => model.release(),
  };
  return executor as TaskExecutor;
};
