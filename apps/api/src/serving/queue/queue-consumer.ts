import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { InferenceResponse } from '@dlserve/shared';
import { BullQueues, FinalJobError } from '../../infrastructure/queue/bull-queues.js';
import { UploadsStore } from '../../infrastructure/storage/file-store.js';
import { AppConfig } from '../../platform/config/app-config.js';
import { AppError } from '../../platform/errors/app-error.js';
import { toAppError } from '../../platform/http/api-exception.filter.js';
import type { UploadedImage } from '../../platform/http/parse-images.pipe.js';
import { DataPlane } from '../dataplane.js';
import { ModelRegistry } from '../lifecycle/model-registry.js';
import type { QueuedProgress, QueuedRequest } from './inference-queue.js';

/** Failures that another try may not meet (a worker full or restarting, a fault of ours); the others are the input's, or a cancellation. */
const RETRIED: ReadonlySet<string> = new Set(['busy', 'model_unavailable', 'internal_error']);

/**
 * ROLE=worker: once its models are warm, takes their queued requests and runs them through the
 * same data plane as a single process, each model's queue `QUEUE_CONCURRENCY` at a time (by
 * default twice its workers, so that one request is decoded or encoded while another runs).
 * Results are named after the job's id, so a job run again (its first worker died) leaves one copy.
 */
@Injectable()
export class QueueConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger('QueueConsumer');

  constructor(
    private readonly config: AppConfig,
    private readonly registry: ModelRegistry,
    private readonly dataPlane: DataPlane,
    private readonly uploads: UploadsStore,
    private readonly queues: BullQueues,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.role !== 'worker') return;
    // In the background, as the models load: the process answers its health checks meanwhile.
    void this.registry.whenLoaded().then(() => {
      for (const model of this.registry.list().models) {
        if (model.status !== 'ready') continue;
        const workers = this.registry.ready(model.name).main.instances;
        const concurrency = this.config.queueConcurrency ?? 2 * workers;
        this.queues.consume(model.name, concurrency, (job, signal) => this.process(model.name, job, signal));
        this.logger.log(`Taking jobs of '${model.name}', ${concurrency} at a time`);
      }
    });
  }

  private async process(model: string, job: Parameters<Parameters<BullQueues['consume']>[2]>[0], signal: AbortSignal): Promise<InferenceResponse> {
    const request = job.data as QueuedRequest;
    try {
      const images: UploadedImage[] = await Promise.all(
        request.files.map(async ({ upload, name, info }) => {
          const data = await this.uploads.read(upload).catch(() => {
            throw new AppError('cancelled', 'The request was gone before it ran (its files were removed); nothing was kept.');
          });
          return { name, info, data };
        }),
      );
      const timeoutMs = request.deadline === null ? undefined : Math.max(1, request.deadline - Date.now());
      return await this.dataPlane.infer(model, images, request.settings, {
        signal,
        timeoutMs,
        resultKey: job.id,
        onProgress: (progress, steps) => {
          const data: QueuedProgress = { progress, ...steps };
          job.updateProgress(data).catch(() => undefined); // progress is best effort; the result is not
        },
      });
    } catch (error) {
      const failure = toAppError(error);
      const message = JSON.stringify(failure.toBody());
      throw RETRIED.has(failure.code) ? new Error(message) : new FinalJobError(message);
    }
  }
}
