import type { OcrSettings } from '@dlserve/shared';
import { CancelledError, type LoadExecutor, type RgbImage, type TaskExecutor } from '../task.js';
import { OcrRunner, type OcrResult } from './ocr-runner.js';

export interface OcrInput {
  image: RgbImage;
  settings: OcrSettings;
}

/**
 * Reads pages one after the other (a batch of pages shares no tensor: each page's lines are
 * batched inside `OcrRunner`), reporting the lines recognised and stopping between recogniser
 * batches when the request is cancelled.
 */
export const loadExecutor: LoadExecutor = async ({ manifest, weightsPath, parts, runtime }) => {
  const { recognition, direction, dictionary } = parts as Record<'recognition' | 'direction' | 'dictionary', string>;
  const runner = await OcrRunner.load({ detection: weightsPath, recognition, direction, dictionary }, runtime, manifest.ocr!.recognitionHeight);
  const executor: TaskExecutor<OcrInput, OcrResult> = {
    session: runner.detection,
    warmUp: () => runner.warmUp(),
    async execute(inputs, context) {
      const outputs: OcrResult[] = [];
      for (const [i, { image, settings }] of inputs.entries()) {
        outputs.push(
          await runner.read(image, settings, (stage, done, total) => {
            if (context.cancelled(i)) throw new CancelledError();
            if (stage === 'recognise') context.progress(i, { tilesDone: done, tilesTotal: total });
          }),
        );
      }
      return { outputs, transfer: [] };
    },
    release: () => runner.release(),
  };
  return executor as TaskExecutor;
};
