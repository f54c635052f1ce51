import { Injectable } from '@nestjs/common';
import type { ImageResultFile, InferenceResponse } from '@dlserve/shared';
import { ImageCodec } from '../../infrastructure/imaging/image-codec.js';
import type { UploadedImage } from '../../platform/http/parse-images.pipe.js';
import type { FileContext, ModelInfo, RgbImage, TaskHandler } from '../task.js';
import type { UpscaleInput } from './executor.js';
import { upscaleInTiles } from './tiled-upscale.js';
import { countTiles } from './tiling.js';

const RESULT_QUALITY = 90;
/**
 * An image of at least this many tiles per tile worker goes to the tile workers: then their
 * rounds come out nearly even, and single-threaded sessions that never wait for each other beat
 * one multi-threaded session. Fewer tiles run on the model's own, multi-threaded, workers.
 */
const TILES_PER_TILE_WORKER = 4;

/** image-to-image: decode, cut into tiles for the workers, encode the output band by band as it comes. */
@Injectable()
export class SuperResolutionHandler implements TaskHandler<ImageResultFile> {
  readonly filesShareBatches = false;
  readonly usesTileWorkers = true;

  constructor(private readonly codec: ImageCodec) {}

  /** Tiles of one size can share a tensor. */
  batchKey(input: unknown): string {
    const { image } = input as UpscaleInput;
    return `${image.width}×${image.height}`;
  }

  async handle(model: ModelInfo, image: UploadedImage, context: FileContext): Promise<Omit<ImageResultFile, 'ms'>> {
    const input = await this.codec.decodeRgb(image.data);
    const [inputWidth, inputHeight] = [input.width, input.height];
    const tiling = model.manifest.imageToImage!;
    const { format } = context.settings;
    const [width, height] = [inputWidth * tiling.scale, inputHeight * tiling.scale];
    // The output is encoded band by band as the tiles finish it, while the workers run the rest.
    const encoder = this.codec.rowEncoder({ width, height, channels: 3 }, format, { quality: format === 'png' ? null : RESULT_QUALITY, fast: true });
    const tileWorkers = context.workers({ tiles: true });
    const tiles = tileWorkers > 0 && countTiles(inputWidth, inputHeight, tiling.tile, tiling.overlap) >= TILES_PER_TILE_WORKER * tileWorkers;
    let data: Buffer;
    try {
      await upscaleInTiles(input, tiling, {
        runTile: (tile, region) => {
          context.signal.throwIfAborted(); // stops at the next tile
          const unit = { input: { image: tile, region } satisfies UpscaleInput, transfer: [tile.pixels.buffer as ArrayBuffer] };
          return context.execute<RgbImage>(unit, { tiles });
        },
        // Every worker busy, and one more tile waiting for each, so none idles between tiles.
        concurrency: 2 * context.workers({ tiles }),
        onBand: (band) => encoder.write(band.pixels),
        onTile: (steps) => context.progress(steps),
      });
      data = await encoder.finish();
    } catch (error) {
      encoder.abort();
      throw error;
    }
    return {
      name: image.name,
      result: await context.save(format === 'jpeg' ? 'jpg' : format, data),
      format,
      width,
      height,
      inputWidth,
      inputHeight,
      bytesIn: image.data.length,
      bytesOut: data.length,
    };
  }

  respond(model: string, files: ImageResultFile[]): InferenceResponse {
    return { task: 'image-to-image', model, result: files[0]?.result ?? '', files };
  }
}
