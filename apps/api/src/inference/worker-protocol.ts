import type { ModelManifest } from '@dlserve/shared';
import type { RgbPixels } from '../imaging/image-codec.js';
import type { OnnxModelOptions } from './onnx-model.js';

/** What a model worker is started with (its `workerData`). */
export interface ModelWorkerData {
  manifest: ModelManifest;
  weightsPath: string;
  runtime: OnnxModelOptions;
}

/** RGB pixels, interleaved, 8-bit, as the codec decodes them. */
export type RgbImage = RgbPixels;

export type ModelRequest =
  | { kind: 'image-to-image'; image: RgbImage }
  | { kind: 'image-classification'; image: RgbImage };

export type ModelResponse =
  | { kind: 'image-to-image'; image: RgbImage }
  | { kind: 'image-classification'; scores: Float32Array };

export interface TileProgress {
  tilesDone: number;
  tilesTotal: number;
}

/** Messages a worker posts to the pool. */
export type WorkerMessage<Response, Progress> =
  | { type: 'ready' }
  | { type: 'progress'; progress: Progress }
  | { type: 'done'; response: Response }
  | { type: 'failed'; message: string };
