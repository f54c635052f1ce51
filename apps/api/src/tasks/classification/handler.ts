import { Injectable } from '@nestjs/common';
import type { ClassificationFile, InferenceResponse } from '@dlserve/shared';
import { ImageCodec } from '../../infrastructure/imaging/image-codec.js';
import type { UploadedImage } from '../../platform/http/parse-images.pipe.js';
import { topK } from '../tensor.js';
import type { FileContext, ModelInfo, TaskHandler } from '../task.js';
import { classifierInputSize } from './input-size.js';

/**
 * image-classification: every input is resized to the model's size, so any two requests' images
 * can share a tensor (the model's `scheduler.maxBatchSize` says how many).
 */
@Injectable()
export class ClassificationHandler implements TaskHandler<ClassificationFile> {
  readonly filesShareBatches = true;
  readonly usesTileWorkers = false;

  constructor(private readonly codec: ImageCodec) {}

  async handle(model: ModelInfo, image: UploadedImage, context: FileContext): Promise<Omit<ClassificationFile, 'ms'>> {
    const { topK: defaultTopK, fit } = model.manifest.classification!;
    const input = await this.codec.decodeRgb(image.data, { ...classifierInputSize(model.manifest), fit });
    const scores = await context.execute<Float32Array>({ input, transfer: [input.pixels.buffer as ArrayBuffer] });
    const labels = topK(scores, context.settings.topK ?? defaultTopK).map(({ index, score }) => ({
      label: model.labels?.[index] ?? `class ${index}`,
      index,
      score,
    }));
    return { name: image.name, labels };
  }

  respond(model: string, files: ClassificationFile[]): InferenceResponse {
    return { task: 'image-classification', model, files };
  }
}
