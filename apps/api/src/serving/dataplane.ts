import { Injectable } from '@nestjs/common';
import { setMaxListeners } from 'node:events';
import type { InferenceResponse } from '@dlserve/shared';
import { AppError } from '../platform/errors/app-error.js';
import { AssetsStore } from '../infrastructure/storage/file-store.js';
import type { UploadedImage } from '../platform/http/parse-images.pipe.js';
import type { InferenceSettings } from '../api/rest/inference-options.js';
import { TaskHandlers } from '../tasks/handlers.js';
import type { FileContext, StepProgress, TaskHandler } from '../tasks/task.js';
import { ModelRegistry, type Admission, type ServingModel } from './lifecycle/model-registry.js';
import { WorkerTaskError } from './runtime/model-workers.js';
import type { Tensor, TensorUnit } from './tensors/tensor.js';

/** How a caller follows and controls a request (a job's events, a client that goes away). */
export interface InferOptions {
  /** Aborting drops the request's queued work and stops its running work at the next tile or batch. */
  signal?: AbortSignal;
  /** How many requests wait ahead of this one, each time that changes, until its work starts. */
  onQueued?(position: number): void;
  onStart?(): void;
  /** Overall progress 0–1 across the request's files, with the current file's steps. */
  onProgress?(progress: number, steps: StepProgress): void;
  /**
   * A time limit in ms from now, waiting included: past it, the work is cancelled (dropped from
   * the queue, or stopped at its next tile) and the request fails with 504 `timeout`.
   */
  timeoutMs?: number;
  /**
   * Names the request's results after this key (a queued job's id) instead of at random: run
   * again after its worker died, the request overwrites what the first run saved, no second copy.
   */
  resultKey?: string;
}

const NEVER = new AbortController().signal;

/**
 * The data plane, after KServe's: what every protocol adapter calls to run a model on a request's
 * files. Each file goes through its task's handler (pre-process here: decode and cut into units;
 * the units through the model's scheduler to its workers; post-process: assemble, encode, save).
 * All or nothing: a request that fails or is cancelled leaves none of its results behind.
 */
@Injectable()
export class DataPlane {
  constructor(
    private readonly registry: ModelRegistry,
    private readonly handlers: TaskHandlers,
    private readonly assets: AssetsStore,
  ) {}

  /**
   * Runs the model on the images. `model` is a name (admitted now: 404 or 503) or a request
   * the model has already admitted, which is released when this is done.
   */
  async infer(model: string | Admission, images: readonly UploadedImage[], settings: InferenceSettings, options: InferOptions = {}): Promise<InferenceResponse> {
    const admission = typeof model === 'string' ? this.registry.admit(model) : model;
    return this.within(admission, options, async (signal) => {
      const handler = this.handlers.for(admission.model.manifest.task);
      const files = await this.eachFile(handler, this.registry.ready(admission.name), images, settings, { ...options, signal });
      return handler.respond(admission.name, files);
    });
  }

  /**
   * Runs a request's own tensors on the model's main session, in its workers, through its
   * scheduler (batched along dim 0 with other requests' tensors of the same shape, where the model
   * batches). The tensors' buffers move to the worker when the unit runs alone. A failure of the
   * session on them is the client's (a shape the graph cannot take): 400.
   */
  async inferTensors(model: string | Admission, unit: TensorUnit, options: Pick<InferOptions, 'signal' | 'timeoutMs'> = {}): Promise<Tensor[]> {
    const admission = typeof model === 'string' ? this.registry.admit(model) : model;
    return this.within(admission, options, async (signal) => {
      const transfer = [...new Set(unit.inputs.map((input) => input.data.buffer as ArrayBuffer))];
      try {
        return await this.registry.ready(admission.name).main.run<Tensor[]>({ input: unit, transfer }, { signal });
      } catch (error) {
        if (error instanceof WorkerTaskError && !signal.aborted) throw new AppError('bad_request', `The model could not run on these tensors: ${error.message}`);
        throw error;
      }
    });
  }

  /**
   * The request's work under its signal and time limit (`timeoutMs`: 504 `timeout`, the work
   * cancelled); releases the admission when done, whichever way.
   */
  private async within<T>(admission: Admission, options: Pick<InferOptions, 'signal' | 'timeoutMs'>, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const deadline = new AbortController();
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            const seconds = Math.round(options.timeoutMs! / 100) / 10;
            deadline.abort(new AppError('timeout', `The model '${admission.name}' did not finish within ${seconds} s; the work was cancelled and nothing was kept.`));
          }, options.timeoutMs);
    const signal = timer ? AbortSignal.any([options.signal ?? NEVER, deadline.signal]) : (options.signal ?? NEVER);
    try {
      signal.throwIfAborted();
      return await work(signal);
    } catch (error) {
      if (deadline.signal.aborted) throw deadline.signal.reason;
      if (signal.aborted) throw new AppError('cancelled', 'The request was cancelled before it finished; nothing was kept.');
      throw error;
    } finally {
      clearTimeout(timer);
      admission.release();
    }
  }

  /**
   * The request's files, each timed; a file's error names it. One after the other, or, for a
   * task whose files can share a tensor, up to a batch of them at once (so that one upload of
   * many files runs as few batches); the first failure stops the others.
   */
  private async eachFile(
    handler: TaskHandler,
    model: ServingModel,
    images: readonly UploadedImage[],
    settings: InferenceSettings,
    options: InferOptions & { signal: AbortSignal },
  ): Promise<Array<{ ms: number }>> {
    const atOnce = handler.filesShareBatches ? model.main.maxBatchSize : 1;
    const request = {}; // the request's units wait in the queue as one request
    // Aborted by the caller's signal, or by the first file that fails.
    const stop = new AbortController();
    const signal = AbortSignal.any([options.signal, stop.signal]);
    // Each unit in flight listens to it (a batch of files: more than Node's warning threshold); each removes its listener when done.
    setMaxListeners(Number.POSITIVE_INFINITY, signal);
    let done = 0;
    return this.assets.writeAll(async (write) => {
      const files: Array<{ ms: number }> = new Array(images.length);
      const handleFile = async (index: number): Promise<void> => {
        const image = images[index]!;
        const started = performance.now();
        let stepsReported = false;
        let saves = 0;
        const context: FileContext = {
          settings,
          signal,
          workers: ({ tiles = false } = {}) => (tiles ? (model.tiles?.instances ?? 0) : model.main.instances),
          execute: async (unit, { tiles = false } = {}) => {
            const group = (tiles && model.tiles) || model.main;
            try {
              return await group.run(unit, {
                group: request,
                signal,
                onQueued: options.onQueued,
                onStart: options.onStart,
                onProgress: (steps) => context.progress(steps),
              });
            } catch (error) {
              if (error instanceof WorkerTaskError && !signal.aborted) {
                throw new AppError('inference_failed', `The model failed on this image: ${error.message}`);
              }
              throw error;
            }
          },
          progress: (steps) => {
            stepsReported = true;
            options.onProgress?.((done + steps.tilesDone / steps.tilesTotal) / images.length, steps);
          },
          save: async (extension, data) => {
            signal.throwIfAborted(); // nothing more is saved for a request that has failed
            const key = options.resultKey === undefined ? undefined : `${options.resultKey}/${index}/${saves++}`;
            return this.assets.url(await write(extension, data, key));
          },
        };
        const file = await handler.handle(model, image, context);
        files[index] = { ...file, ms: Math.round(performance.now() - started) };
        done++;
        // A model that reports no steps of its own (a classifier) moves on by whole files.
        if (!stepsReported) options.onProgress?.(done / images.length, { tilesDone: 1, tilesTotal: 1 });
      };
      let next = 0;
      let failure: { error: unknown } | null = null;
      const lane = async (): Promise<void> => {
        while (failure === null && next < images.length) {
          const index = next++;
          try {
            await handleFile(index);
          } catch (error) {
            failure ??= { error: error instanceof AppError ? error.forFile(images[index]!.name) : error };
            stop.abort(failure.error);
          }
        }
      };
      // Every lane has stopped before the request's saved files are removed.
      await Promise.all(Array.from({ length: Math.min(atOnce, images.length) }, lane));
      if (failure) throw (failure as { error: unknown }).error;
      return files;
    });
  }
}
