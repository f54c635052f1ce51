import { Injectable } from '@nestjs/common';
import type { InferenceResponse } from '@dlserve/shared';
import { randomUUID } from 'node:crypto';
import type { ImageInfo } from '../../infrastructure/imaging/image-codec.js';
import { BullQueues } from '../../infrastructure/queue/bull-queues.js';
import { UploadsStore } from '../../infrastructure/storage/file-store.js';
import type { InferenceSettings } from '../../api/rest/inference-options.js';
import { ERROR_STATUS, AppError } from '../../platform/errors/app-error.js';
import type { UploadedImage } from '../../platform/http/parse-images.pipe.js';
import { DataPlane, type InferOptions } from '../dataplane.js';
import type { Admission } from '../lifecycle/model-registry.js';

/**
 * Where an admitted model request goes to be run (the port the controllers call): into this
 * process's data plane (ROLE=all, and a worker node's own port), or onto the model's queue for
 * the worker nodes (ROLE=api). Either way the answer, the errors, the progress and the
 * cancellation are the same; the admission is released when the request is done.
 */
export abstract class InferenceQueue {
  abstract run(admission: Admission, images: readonly UploadedImage[], settings: InferenceSettings, options?: InferOptions): Promise<InferenceResponse>;
}

/** Today's single process: the request runs here. */
@Injectable()
export class InProcessQueue extends InferenceQueue {
  constructor(private readonly dataPlane: DataPlane) {
    super();
  }

  run(admission: Admission, images: readonly UploadedImage[], settings: InferenceSettings, options: InferOptions = {}): Promise<InferenceResponse> {
    return this.dataPlane.infer(admission, images, settings, options);
  }
}

/** A request as it travels on a model's queue: its files are in the shared uploads folder. */
export interface QueuedRequest {
  files: Array<{ upload: string; name: string; info: ImageInfo }>;
  settings: InferenceSettings;
  /** When its time is up (epoch ms): the worker stops there too. */
  deadline: number | null;
}

/** Progress as a worker node reports it with `job.updateProgress`. */
export interface QueuedProgress {
  progress: number;
  tilesDone: number;
  tilesTotal: number;
}

/** BullMQ's priorities: a waiting client before a job (`?async=1`), which nobody is waiting on. */
const PRIORITY = { interactive: 1, job: 10 };
/** How long a cancelled request waits for the worker running it to say it stopped. */
const CANCEL_WAIT_MS = 10_000;

/**
 * ROLE=api: the request's files are stored in the shared uploads folder, the request is queued on
 * its model's queue, and this waits for a worker node to finish it (the same time limit as in a
 * single process), relaying its start and progress; a cancellation (the client gone, the time up,
 * `DELETE /api/jobs/<id>`) removes it from the queue or reaches the worker that runs it.
 */
@Injectable()
export class RemoteQueue extends InferenceQueue {
  constructor(
    private readonly queues: BullQueues,
    private readonly uploads: UploadsStore,
  ) {
    super();
  }

  async run(admission: Admission, images: readonly UploadedImage[], settings: InferenceSettings, options: InferOptions = {}): Promise<InferenceResponse> {
    const id = randomUUID();
    const stored: string[] = [];
    try {
      options.signal?.throwIfAborted();
      if (!this.queues.reachable) throw this.queues.unavailable(); // before the files are written
      const files: QueuedRequest['files'] = [];
      for (const [index, image] of images.entries()) {
        const upload = await this.uploads.write(image.info.extension, image.data, { key: `${id}/input/${index}`, durable: false });
        stored.push(upload);
        files.push({ upload, name: image.name, info: image.info });
      }
      const deadline = options.timeoutMs === undefined ? null : Date.now() + options.timeoutMs;
      const request: QueuedRequest = { files, settings, deadline };
      // Followed before it is queued: a worker may start it at once.
      const watch = await this.queues.watch(admission.name, id, {
        onActive: () => options.onStart?.(),
        onProgress: (data) => {
          const { progress, tilesDone, tilesTotal } = data as QueuedProgress;
          options.onProgress?.(progress, { tilesDone, tilesTotal });
        },
      });
      try {
        await this.queues.add(admission.name, id, request, { priority: settings.async ? PRIORITY.job : PRIORITY.interactive });
        return await this.follow(admission.name, id, watch.finished(), options);
      } finally {
        watch.close();
      }
    } finally {
      await this.uploads.remove(stored);
      admission.release();
    }
  }

  /** The job's result; its failure as the worker's `AppError`; cancelled (or timed out) on the signal or deadline. */
  private async follow(model: string, id: string, waiting: Promise<unknown>, options: InferOptions): Promise<InferenceResponse> {
    const deadline = new AbortController();
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => deadline.abort(), options.timeoutMs);
    const signal = AbortSignal.any([options.signal ?? new AbortController().signal, deadline.signal]);
    try {
      return await new Promise<InferenceResponse>((resolve, reject) => {
        waiting.then((result) => resolve(result as InferenceResponse), (error: unknown) => reject(workerError(error)));
        signal.addEventListener(
          'abort',
          () => {
            const stopped = async (): Promise<void> => {
              const removed = await this.queues.cancel(model, id).catch(() => true);
              // Running on a worker: it stops at its next tile or batch and removes what it saved.
              if (!removed) await Promise.race([waiting.catch(() => undefined), new Promise((done) => setTimeout(done, CANCEL_WAIT_MS).unref())]);
            };
            const reason = deadline.signal.aborted
              ? new AppError('timeout', `The model '${model}' did not finish within ${Math.round(options.timeoutMs! / 100) / 10} s; the work was cancelled and nothing was kept.`)
              : new AppError('cancelled', 'The request was cancelled before it finished; nothing was kept.');
            void stopped().then(() => reject(reason));
          },
          { once: true },
        );
      });
    } finally {
      clearTimeout(timer);
      waiting.catch(() => undefined);
    }
  }
}

/** A worker's failure as it threw it (an `AppError`'s body, see `QueueConsumer`), or the queue's own (retries exhausted, stalled). */
function workerError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  try {
    const body = JSON.parse(message) as { error?: string; message?: string; file?: string };
    if (typeof body.error === 'string' && body.error in ERROR_STATUS && typeof body.message === 'string') {
      return new AppError(body.error as keyof typeof ERROR_STATUS, body.message, body.file);
    }
  } catch {
    // not one of ours
  }
  return new AppError('inference_failed', `The request failed on the worker nodes: ${message}`);
}
