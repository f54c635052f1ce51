import { Injectable } from '@nestjs/common';
import type { InferenceResponse, OcrFile } from '@dlserve/shared';
import { ImageCodec } from '../../infrastructure/imaging/image-codec.js';
import type { UploadedImage } from '../../platform/http/parse-images.pipe.js';
import type { FileContext, ModelInfo, TaskHandler } from '../task.js';
import type { OcrInput } from './executor.js';
import type { OcrResult } from './ocr-runner.js';

/** ocr: decode, read the page in a worker (its lines reported as steps), draw the boxes found. */
@Injectable()
export class OcrHandler implements TaskHandler<OcrFile> {
  readonly filesShareBatches = false;
  readonly usesTileWorkers = false;

  constructor(private readonly codec: ImageCodec) {}

  async handle(model: ModelInfo, image: UploadedImage, context: FileContext): Promise<Omit<OcrFile, 'ms'>> {
    const page = await this.codec.decodeRgb(image.data);
    const input: OcrInput = { image: page, settings: { ...model.manifest.ocr!.defaults, ...context.settings.ocr } };
    const { width, height } = page;
    const { text, lines, timings } = await context.execute<OcrResult>({ input, transfer: [page.pixels.buffer as ArrayBuffer] });
    const annotated = await this.codec.annotate(image.data, lines.map((line) => line.box));
    return { name: image.name, text, lines, result: await context.save('jpg', annotated), width, height, timings };
  }

  respond(model: string, files: OcrFile[]): InferenceResponse {
    return { task: 'ocr', model, result: files[0]?.result ?? '', files };
  }
}
