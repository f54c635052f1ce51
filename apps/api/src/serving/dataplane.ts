import { Injectable } from '@nestjs/common';
import type { InferenceResponse } from '@dlserve/shared';
import { AppError } from '../platform/errors/app-error.js';
import { AssetsStore } from '../infrastructure/storage/file-store.js';
import type { UploadedImage } from '../platform/http/parse-images.pipe.js';
import type { InferenceSettings } from '../api/rest/inference-options.js';
import { TaskHandlers } from '../tasks/handlers.js';
import type { FileContext, StepProgress } from '../tasks/task.js';
import { ModelRegistry, type Admission, type ServingModel } from './lifecycle/model-registry.js';
import { WorkerTaskError } from './runtime/model-workers.js';

/** How a caller follows and controls a request (a job's events, a client that goes away). */
export interface InferOptions {
  /** Aborting drops the request's queued work and stops its running work at the next tile or batch. */
  signal?: AbortSignal;
  /** How many requests wait ahead of this one, each time that changes, until its work starts. */
  onQueued?(position: number): void;
  onStart?(): void;
  /** Overall progress 0–1 across the request's files, with the current file's steps. */
  onProgress?(progress: number, steps: StepProgress): void;
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
   * Runs the model on the images. `model` is a name (admitted now: 404, 503 or 429) or a request
   * the model has already admitted, which is released when this is done.
   */
  async infer(model: string | Admission, images: readonly UploadedImage[], settings: InferenceSettings, options: InferOptions = {}): Promise<InferenceResponse> {
    const admission = typeof model === 'string' ? this.registry.admit(model) : model;
    const signal = options.signal ?? NEVER;
    try {
      signal.throwIfAborted();
      const handler = this.handlers.for(admission.model.manifest.task);
      const files = await this.eachFile(admission.model, images, settings, { ...options, signal });
      return handler.respond(admission.name, files);
    } catch (error) {
      if (signal.aborted) throw new AppError('cancelled', 'The request was cancelled before it finished; nothing was kept.');
      throw error;
    } finally {
      admission.release();
    }
  }

  /** The request's files one after the other, each timed; a file's error names it. */
  private eachFile(
    model: ServingModel,
    images: readonly UploadedImage[],
    settings: InferenceSettings,
    options: InferOptions & { signal: AbortSignal },
  ): Promise<Array<{ ms: number }>> {
    const handler = this.handlers.for(model.manifest.task);
    return this.assets.writeAll(async (write) => {
      const files: Array<{ ms: number }> = [];
      for (const [index, image] of images.entries()) {
        const started = performance.now();
        let stepsReported = false;
        const request = {}; // the file's units wait in the queue as one request
        const context: FileContext = {
          settings,
          signal: options.signal,
          workers: ({ tiles = false } = {}) => (tiles ? (model.tiles?.instances ?? 0) : model.main.instances),
          execute: async (unit, { tiles = false } = {}) => {
            const group = (tiles && model.tiles) || model.main;
            try {
              return await group.run(unit, {
                group: request,
                signal: options.signal,
                onQueued: options.onQueued,
                onStart: options.onStart,
                onProgress: (steps) => context.progress(steps),
              });
            } catch (error) {
              if (error instanceof WorkerTaskError && !options.signal.aborted) {
                throw new AppError('inference_failed', `The model failed on this image: ${error.message}`);
              }
              throw error;
            }
          },
          progress: (steps) => {
            stepsReported = true;
            options.onProgress?.((index + steps.tilesDone / steps.tilesTotal) / images.length, steps);
          },
          save: async (extension, data) => this.assets.url(await write(extension, data)),
        };
        const file = await handler.handle(model, image, context).catch((error: unknown) => {
          throw error instanceof AppError ? error.forFile(image.name) : error;
        });
        files.push({ ...file, ms: Math.round(performance.now() - started) });
        // A model that reports no steps of its own (a classifier) moves on by whole files.
        if (!stepsReported) options.onProgress?.((index + 1) / images.length, { tilesDone: 1, tilesTotal: 1 });
      }
      return files;
    });
  }
}
