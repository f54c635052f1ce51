import { Injectable } from '@nestjs/common';
import type { ClassificationFile, ImageResultFile, InferenceResponse, OcrFile } from '@dlserve/shared';
import { AppError } from '../common/app-error.js';
import { toAppError } from '../common/api-exception.filter.js';
import { ImageCodec } from '../imaging/image-codec.js';
import { AssetsStore } from '../storage/file-store.js';
import type { UploadedImage } from '../upload/parse-images.pipe.js';
import type { InferenceSettings } from './inference-options.js';
import { ModelRegistry, type ReadyModel } from './model-registry.js';
import { topK } from './tensor.js';
import { WorkerTaskError } from './worker-pool.js';
import type { RgbImage, TileProgress } from './worker-protocol.js';

/** What a run tells whoever follows it (a job's events). */
export interface RunObserver {
  onQueued?(position: number): void;
  onStart?(): void;
  /** Overall progress 0–1 across the request's files, with the current file's tiles. */
  onProgress?(progress: number, tiles: TileProgress): void;
}

const RESULT_QUALITY = 90;

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

  async run(name: string, images: readonly UploadedImage[], settings: InferenceSettings, observer: RunObserver = {}): Promise<InferenceResponse> {
    const model = this.registry.ready(name);
    const { task } = model.manifest;
    if (task === 'image-to-image') return this.imageToImage(name, model, images, settings, observer);
    if (task === 'image-classification') return this.classify(name, model, images, settings, observer);
    return this.readText(name, model, images, settings, observer);
  }

  private async imageToImage(
    name: string,
    model: ReadyModel,
    images: readonly UploadedImage[],
    settings: InferenceSettings,
    observer: RunObserver,
  ): Promise<InferenceResponse> {
    const files = await this.assets.writeAll(async (write) => {
      const files: ImageResultFile[] = [];
      for (const [index, image] of images.entries()) {
        const started = performance.now();
        const input = await this.codec.decodeRgb(image.data);
        const output = await this.runModel(model, image.name, input, index, images.length, observer);
        const format = settings.format;
        const data = await this.codec.encode(
          { data: Buffer.from(output.pixels.buffer, output.pixels.byteOffset, output.pixels.byteLength), width: output.width, height: output.height, channels: 3 },
          format,
          { quality: format === 'png' ? null : RESULT_QUALITY, fast: true },
        );
        const stored = await write(format === 'jpeg' ? 'jpg' : format, data);
        files.push({
          name: image.name,
          result: this.assets.url(stored),
          format,
          width: output.width,
          height: output.height,
          inputWidth: input.width,
          inputHeight: input.height,
          bytesIn: image.data.length,
          bytesOut: data.length,
          ms: Math.round(performance.now() - started),
        });
      }
      return files;
    });
    return { task: 'image-to-image', model: name, result: files[0]?.result ?? '', files };
  }

  private async classify(
    name: string,
    model: ReadyModel,
    images: readonly UploadedImage[],
    settings: InferenceSettings,
    observer: RunObserver,
  ): Promise<InferenceResponse> {
    const { size, topK: defaultTopK } = model.manifest.classification!;
    const labels = model.labels ?? [];
    const files: ClassificationFile[] = [];
    for (const [index, image] of images.entries()) {
      const started = performance.now();
      const input = await this.codec.decodeRgb(image.data, { width: size, height: size });
      const response = await this.runRequest(model, image.name, { kind: 'image-classification', image: input }, index, images.length, observer);
      if (response.kind !== 'image-classification') throw new Error('the worker answered another task');
      files.push({
        name: image.name,
        labels: topK(response.scores, settings.topK ?? defaultTopK).map(({ index: label, score }) => ({
          label: labels[label] ?? `class ${label}`,
          index: label,
          score,
        })),
        ms: Math.round(performance.now() - started),
      });
      observer.onProgress?.((index + 1) / images.length, { tilesDone: 1, tilesTotal: 1 });
    }
    return { task: 'image-classification', model: name, files };
  }

  private async readText(
    name: string,
    model: ReadyModel,
    images: readonly UploadedImage[],
    settings: InferenceSettings,
    observer: RunObserver,
  ): Promise<InferenceResponse> {
    const ocrSettings = { ...model.manifest.ocr!.defaults, ...settings.ocr };
    const files = await this.assets.writeAll(async (write) => {
      const files: OcrFile[] = [];
      for (const [index, image] of images.entries()) {
        const started = performance.now();
        const input = await this.codec.decodeRgb(image.data);
        const { width, height } = input;
        const response = await this.runRequest(model, image.name, { kind: 'ocr', image: input, settings: ocrSettings }, index, images.length, observer);
        if (response.kind !== 'ocr') throw new Error('the worker answered another task');
        const annotated = await this.codec.annotate(image.data, response.lines.map((line) => line.box));
        const stored = await write('jpg', annotated);
        files.push({
          name: image.name,
          text: response.lines.map((line) => line.text).join('\n'),
          lines: response.lines,
          result: this.assets.url(stored),
          width,
          height,
          timings: response.timings,
          ms: Math.round(performance.now() - started),
        });
        observer.onProgress?.((index + 1) / images.length, { tilesDone: response.lines.length, tilesTotal: response.lines.length });
      }
      return files;
    });
    return { task: 'ocr', model: name, result: files[0]?.result ?? '', files };
  }

  private async runModel(
    model: ReadyModel,
    file: string,
    image: RgbImage,
    index: number,
    count: number,
    observer: RunObserver,
  ): Promise<RgbImage> {
    const response = await this.runRequest(model, file, { kind: 'image-to-image', image }, index, count, observer);
    if (response.kind !== 'image-to-image') throw new Error('the worker answered another task');
    return response.image;
  }

  private async runRequest(
    model: ReadyModel,
    file: string,
    request: Parameters<ReadyModel['pool']['run']>[0],
    index: number,
    count: number,
    observer: RunObserver,
  ): ReturnType<ReadyModel['pool']['run']> {
    try {
      return await model.pool.run(request, {
        transfer: [request.image.pixels.buffer as ArrayBuffer],
        onQueued: (position) => observer.onQueued?.(position),
        onStart: () => observer.onStart?.(),
        onProgress: (tiles) => observer.onProgress?.((index + tiles.tilesDone / tiles.tilesTotal) / count, tiles),
      });
    } catch (error) {
      if (error instanceof WorkerTaskError) {
        throw new AppError('inference_failed', `The model failed on this image: ${error.message}`, file);
      }
      throw toAppError(error).forFile(file);
    }
  }
}
