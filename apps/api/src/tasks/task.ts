import type { InferenceResponse, ModelManifest } from '@dlserve/shared';
import type { OnnxModel, OnnxModelOptions } from '../infrastructure/onnx/onnx-model.js';
import type { UploadedImage } from '../platform/http/parse-images.pipe.js';
import type { InferenceSettings } from '../api/rest/inference-options.js';

/**
 * A task is two halves, after KServe's Model: a handler on the main thread (pre-process: decode
 * and cut the input into units; post-process: put the outputs together, encode, save) and an
 * executor in the model's worker threads that runs a *batch* of units through ONNX Runtime.
 * Between them, the serving core's scheduler; neither half knows about HTTP.
 */

/** Interleaved 8-bit RGB pixels in memory of their own (transferable to a worker). */
export interface RgbImage {
  pixels: Uint8Array;
  width: number;
  height: number;
}

/** Steps done of a request's current file: tiles of an image, or lines of an OCR page. */
export interface StepProgress {
  tilesDone: number;
  tilesTotal: number;
}

// --- the worker's half -------------------------------------------------------------------------

/** What a model's worker threads start with (their `workerData`). */
export interface WorkerModel {
  manifest: ModelManifest;
  weightsPath: string;
  /** Other files of the model (OCR: recogniser, classifier, dictionary), as absolute paths. */
  parts: Record<string, string>;
  runtime: OnnxModelOptions;
}

/** The outputs of a batch, one per input in order, and the buffers to move back (not copy). */
export interface Executed<Out> {
  outputs: Out[];
  transfer: ArrayBuffer[];
}

/** What an executor may do for the units of the batch it runs, by their index in it. */
export interface BatchContext {
  /** Reports a unit's steps (an OCR page's lines) to its request. */
  progress(unit: number, steps: StepProgress): void;
  /** Whether the unit's request was cancelled: stop at the next boundary (throw `CancelledError`). */
  cancelled(unit: number): boolean;
}

export interface TaskExecutor<In = unknown, Out = unknown> {
  /** The model's main session (OCR: its text detector), which runs the tensors of a V2 infer request. */
  readonly session: OnnxModel;
  /** A small input through the whole path, so the first real request does not pay for start-up. */
  warmUp(): Promise<void>;
  execute(inputs: In[], context: BatchContext): Promise<Executed<Out>>;
  /** Frees the sessions (a worker that ends frees them anyway; tests call it). */
  release(): Promise<void>;
}

/** What a task's `executor.ts` exports as `loadExecutor`. */
export type LoadExecutor = (model: WorkerModel) => Promise<TaskExecutor>;

/** Thrown by an executor that stopped because its request was cancelled. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

// --- the main thread's half --------------------------------------------------------------------

/** A unit of work for the model's workers: what goes there, and the buffers that may move with it. */
export interface WorkUnit<In = unknown> {
  input: In;
  /** Moved rather than copied when the unit runs alone (a batch of several is copied, so it can be retried). */
  transfer?: ArrayBuffer[];
}

/** The model as a handler sees it. */
export interface ModelInfo {
  name: string;
  manifest: ModelManifest;
  labels: string[] | null;
}

/** What a handler may do while it handles one file. */
export interface FileContext {
  settings: InferenceSettings;
  /** Aborted when the request is cancelled: stop cutting and sending units. */
  readonly signal: AbortSignal;
  /**
   * Runs a unit on the model's workers, through its scheduler (batched with other requests'
   * units where the model allows); `tiles`: on its single-threaded tile workers, if it has them.
   */
  execute<Out>(unit: WorkUnit, options?: { tiles?: boolean }): Promise<Out>;
  /** How many workers run units at once (of the tile workers with `tiles`; 0 if there are none). */
  workers(options?: { tiles?: boolean }): number;
  progress(steps: StepProgress): void;
  /** Saves a result file in the assets folder; answers its URL. Removed again if the request fails. */
  save(extension: string, data: Uint8Array): Promise<string>;
}

export interface TaskHandler<File extends { ms: number } = { ms: number }> {
  /** Whether the model gets single-threaded tile workers besides its own (image-to-image). */
  readonly usesTileWorkers: boolean;
  /**
   * Whether a request's files may be handled at once (small inputs that can share a tensor), so
   * that one upload of many files batches; otherwise one after the other.
   */
  readonly filesShareBatches: boolean;
  /** Units that may share a tensor have the same key (their input size); without it, any two may. */
  batchKey?(input: unknown): string;
  /** Pre-process, execute, post-process one uploaded image. */
  handle(model: ModelInfo, image: UploadedImage, context: FileContext): Promise<Omit<File, 'ms'>>;
  /** The answer for a request's files. */
  respond(model: string, files: File[]): InferenceResponse;
}
