import { Injectable } from '@nestjs/common';
import type { ClassificationFile, ImageResultFile, InferenceResponse, OcrFile } from '@dlserve/shared';
import { AppError } from '../platform/errors/app-error.js';
import { ImageCodec } from '../infrastructure/imaging/image-codec.js';
import { AssetsStore } from '../infrastructure/storage/file-store.js';
import type { UploadedImage } from '../platform/http/parse-images.pipe.js';
import type { InferenceSettings } from '../api/rest/inference-options.js';
import { ModelRegistry, type Admission, type ModelPool, type ReadyModel } from './lifecycle/model-registry.js';
import { topK } from '../tasks/tensor.js';
import { WorkerTaskError } from './runtime/worker-pool.js';
import { upscaleInTiles } from '../tasks/super-resolution/tiled-upscale.js';
import { countTiles } from '../tasks/super-resolution/tiling.js';
import type { ModelRequest, ModelResponse, TileProgress } from './runtime/worker-protocol.js';

/** What a run tells whoever follows it (a job's events). */
export interface RunObserver {
  onQueued?(position: number): void;
  onStart?(): void;
  /** Overall progress 0–1 across the request's files, with the current file's steps. */
  onProgress?(progress: number, steps: TileProgress): void;
}

/**
 * What handling one file may do: run the model on it or on parts of it (which wait in the queue
 * as one request), on the model's workers or the given ones; report its steps; save a result
 * file (answers its URL).
 */
interface FileContext {
  run<K extends ModelRequest['kind']>(request: Extract<ModelRequest, { kind: K }>, pool?: ModelPool): Promise<Extract<ModelResponse, { kind: K }>>;
  progress(steps: TileProgress): void;
  save(extension: string, data: Uint8Array): Promise<string>;
}

const RESULT_QUALITY = 90;
/**
 * An image of at least this many tiles per tile worker goes to the tile workers: then their
 * rounds come out nearly even, and single-threaded sessions that never wait for each other beat
 * one multi-threaded session. Fewer tiles run on the model's own, multi-threaded, workers.
 */
const TILES_PER_TILE_WORKER = 4;

/**
 * Runs a model on a request's images: decoding and encoding with sharp here (asynchronous, off
 * the event loop), the model in its workers. Results are saved in the assets folder; a request
 * that fails leaves none of them behind.
 */
@Injectable()
export class InferenceService {
  constructor(
    private readonly registry: ModelRegistry,
    private readonly codec: ImageCodec,
    private readonly assets: AssetsStore,
  ) {}

  /** Admits a request for the model now (see `ModelRegistry.admit`) and runs it. */
  run(name: string, images: readonly UploadedImage[], settings: InferenceSettings, observer: RunObserver = {}): Promise<InferenceResponse> {
    return this.runAdmitted(this.registry.admit(name), images, settings, observer);
  }

  /** Runs a request the model has admitted, and releases it when done. */
  async runAdmitted(
    admission: Admission,
    images: readonly UploadedImage[],
    settings: InferenceSettings,
    observer: RunObserver = {},
  ): Promise<InferenceResponse> {
    try {
      return await this.runModel(admission, images, settings, observer);
    } finally {
      admission.release();
    }
  }

  private async runModel(
    { name, model }: Admission,
    images: readonly UploadedImage[],
    settings: InferenceSettings,
    observer: RunObserver,
  ): Promise<InferenceResponse> {
    switch (model.manifest.task) {
      case 'image-to-image': {
        const files = await this.eachFile<ImageResultFile>(model, images, observer, (image, context) => this.upscale(model, image, settings, context));
        return { task: 'image-to-image', model: name, result: files[0]?.result ?? '', files };
      }
      case 'image-classification': {
        const files = await this.eachFile<ClassificationFile>(model, images, observer, (image, context) => this.classify(model, image, settings, context));
        return { task: 'image-classification', model: name, files };
      }
      case 'ocr': {
        const files = await this.eachFile<OcrFile>(model, images, observer, (image, context) => this.readText(model, image, settings, context));
        return { task: 'ocr', model: name, result: files[0]?.result ?? '', files };
      }
    }
  }

  private async upscale(model: ReadyModel, image: UploadedImage, settings: InferenceSettings, context: FileContext): Promise<Omit<ImageResultFile, 'ms'>> {
    const input = await this.codec.decodeRgb(image.data);
    const [inputWidth, inputHeight] = [input.width, input.height];
    const tiling = model.manifest.imageToImage!;
    const { format } = settings;
    const [width, height] = [inputWidth * tiling.scale, inputHeight * tiling.scale];
    // The output is encoded band by band as the tiles finish it, while the workers run the rest.
    const encoder = this.codec.rowEncoder({ width, height, channels: 3 }, format, { quality: format === 'png' ? null : RESULT_QUALITY, fast: true });
    const tiles = countTiles(inputWidth, inputHeight, tiling.tile, tiling.overlap);
    const { tilePool } = model;
    const pool = tilePool && tiles >= TILES_PER_TILE_WORKER * tilePool.size ? tilePool : model.pool;
    let data: Buffer;
    try {
      await upscaleInTiles(input, tiling, {
        runTile: async (tile, region) => (await context.run({ kind: 'image-to-image', image: tile, region }, pool)).image,
        // Every worker busy, and one more tile waiting for each, so none idles between tiles.
        concurrency: 2 * pool.size,
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

  private async classify(model: ReadyModel, image: UploadedImage, settings: InferenceSettings, context: FileContext): Promise<Omit<ClassificationFile, 'ms'>> {
    const { size, topK: defaultTopK } = model.manifest.classification!;
    const input = await this.codec.decodeRgb(image.data, { width: size, height: size });
    const { scores } = await context.run({ kind: 'image-classification', image: input });
    const labels = topK(scores, settings.topK ?? defaultTopK).map(({ index, score }) => ({
      label: model.labels?.[index] ?? `class ${index}`,
      index,
      score,
    }));
    return { name: image.name, labels };
  }

  private async readText(model: ReadyModel, image: UploadedImage, settings: InferenceSettings, context: FileContext): Promise<Omit<OcrFile, 'ms'>> {
    const input = await this.codec.decodeRgb(image.data);
    const { width, height } = input;
    const { text, lines, timings } = await context.run({ kind: 'ocr', image: input, settings: { ...model.manifest.ocr!.defaults, ...settings.ocr } });
    const annotated = await this.codec.annotate(image.data, lines.map((line) => line.box));
    return {
      name: image.name,
      text,
      lines,
      result: await context.save('jpg', annotated),
      width,
      height,
      timings,
    };
  }

  /**
   * Handles the request's files one after the other, timing each: all or nothing, so a file that
   * fails removes the results already saved for the others, and its error names it.
   */
  private eachFile<F extends { ms: number }>(
    model: ReadyModel,
    images: readonly UploadedImage[],
    observer: RunObserver,
    handle: (image: UploadedImage, context: FileContext) => Promise<Omit<F, 'ms'>>,
  ): Promise<F[]> {
    return this.assets.writeAll(async (write) => {
      const files: F[] = [];
      for (const [index, image] of images.entries()) {
        const started = performance.now();
        let stepsReported = false;
        const group = {}; // the file's parts wait in the queue as one request
        const context: FileContext = {
          run: (request, pool = model.pool) => this.runOnWorker(pool, image.name, request, observer, context.progress, group),
          progress: (steps) => {
            stepsReported = true;
            observer.onProgress?.((index + steps.tilesDone / steps.tilesTotal) / images.length, steps);
          },
          save: async (extension, data) => this.assets.url(await write(extension, data)),
        };
        const file = await handle(image, context).catch((error: unknown) => {
          throw error instanceof AppError ? error.forFile(image.name) : error;
        });
        files.push({ ...file, ms: Math.round(performance.now() - started) } as F);
        // A model that reports no steps of its own (a classifier) moves on by whole files.
        if (!stepsReported) observer.onProgress?.((index + 1) / images.length, { tilesDone: 1, tilesTotal: 1 });
      }
      return files;
    });
  }

  private async runOnWorker<K extends ModelRequest['kind']>(
    pool: ModelPool,
    file: string,
    request: Extract<ModelRequest, { kind: K }>,
    observer: RunObserver,
    onProgress: (steps: TileProgress) => void,
    group: object,
  ): Promise<Extract<ModelResponse, { kind: K }>> {
    let response: ModelResponse;
    try {
      response = await pool.run(request, {
        transfer: [request.image.pixels.buffer as ArrayBuffer],
        group,
        onQueued: (position) => observer.onQueued?.(position),
        onStart: () => observer.onStart?.(),
        onProgress,
      });
    } catch (error) {
      if (error instanceof WorkerTaskError) {
        throw new AppError('inference_failed', `The model failed on this image: ${error.message}`, file);
      }
      throw error;
    }
    if (response.kind !== request.kind) throw new Error(`the worker answered a ${response.kind} request to a ${request.kind} one`);
    return response as Extract<ModelResponse, { kind: K }>;
  }
}
