import type { ModelManifest, OcrLine, OcrSettings } from '@dlserve/shared';
import type { RgbPixels } from '../../infrastructure/imaging/image-codec.js';
import type { OnnxModelOptions } from '../../infrastructure/onnx/onnx-model.js';
import type { OcrPaths } from '../repository/model-repository.js';
import type { Region } from '../../tasks/tensor.js';

/** What a model worker is started with (its `workerData`). */
export interface ModelWorkerData {
  manifest: ModelManifest;
  weightsPath: string;
  /** The recogniser, direction classifier and dictionary of an OCR model. */
  ocr: OcrPaths | null;
  runtime: OnnxModelOptions;
}

/** RGB pixels, interleaved, 8-bit, as the codec decodes them. */
export type RgbImage = RgbPixels;

export type ModelRequest =
  /** `region`: only this part of the output is wanted (in output pixels); all of it by default. */
  | { kind: 'image-to-image'; image: RgbImage; region?: Region }
  | { kind: 'image-classification'; image: RgbImage }
  | { kind: 'ocr'; image: RgbImage; settings: OcrSettings };

export interface OcrTimings {
  detectMs: number;
  directionMs: number;
  recogniseMs: number;
  totalMs: number;
}

export type ModelResponse =
  | { kind: 'image-to-image'; image: RgbImage }
  | { kind: 'image-classification'; scores: Float32Array }
  | { kind: 'ocr'; text: string; lines: OcrLine[]; timings: OcrTimings };

/** Steps done of a request: tiles of an image, or lines of an OCR page. */
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
