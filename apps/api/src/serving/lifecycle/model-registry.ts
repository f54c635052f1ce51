import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { ModelListResponse, ModelManifest, ModelStatus, ModelSummary } from '@dlserve/shared';
import { AppConfig } from '../../platform/config/app-config.js';
import { AppError } from '../../platform/errors/app-error.js';
import { TaskHandlers } from '../../tasks/handlers.js';
import type { ModelInfo, WorkerModel } from '../../tasks/task.js';
import { ModelRepository, type ModelEntry } from '../repository/model-repository.js';
import { ModelWorkers } from '../runtime/model-workers.js';
import { Metrics, type ModelGauges } from '../../platform/metrics/metrics.js';
import { AdmissionLimit, type Release } from '../scheduler/admission-limit.js';
import { InstanceGroup } from '../scheduler/instance-group.js';
import type { BatchingPolicy } from '../scheduler/scheduler.js';
import { isTensorUnit, tensorBatchKey } from '../tensors/tensor.js';

/** A model that is serving: its manifest, its labels and its warm instance groups. */
export interface ServingModel extends ModelInfo {
  /** The model's workers (`scheduler.instances` or `MODEL_WORKERS`), multi-threaded: whole requests, small images. */
  main: InstanceGroup;
  /** Image-to-image only, unless `TILE_WORKERS=0`: single-threaded workers for the tiles of large images. */
  tiles: InstanceGroup | null;
}

/**
 * A request a model has taken: release it when the request is done, whichever way. Its model as
 * the API sees it (name, manifest, labels): on an `api` node its workers are on other nodes.
 */
export interface Admission {
  readonly name: string;
  readonly model: ModelInfo;
  readonly release: Release;
}

interface Registered {
  entry: ModelEntry;
  status: ModelStatus;
  error?: string;
  /** Ready to take requests: its manifest read and, where this process runs models, its workers warm. */
  info?: ModelInfo;
  /** Its workers in this process (not on an `api` node). */
  ready?: ServingModel;
}

type UsableEntry = Extract<ModelEntry, { error?: undefined }>;

/** A manifest's `scheduler` section as the scheduler takes it. */
export function batchingPolicy(manifest: ModelManifest): BatchingPolicy {
  const { maxBatchSize = 1, preferredBatchSizes = [], maxQueueDelayMicroseconds = 0 } = manifest.scheduler ?? {};
  return { maxBatchSize, preferredBatchSizes, maxQueueDelayMs: maxQueueDelayMicroseconds / 1000 };
}

/**
 * The models the service knows, with their state. Loading starts once the app is up and runs in
 * the background: the HTTP server answers at once, and readiness turns green when every enabled
 * model is warmed up (or has failed, disabled with its reason).
 */
@Injectable()
export class ModelRegistry implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ModelRegistry');
  private readonly models = new Map<string, Registered>();
  /** Requests admitted and not yet released, per model. */
  private readonly admissions = new Map<string, AdmissionLimit>();
  private loaded: Promise<void> = Promise.resolve();
  /** Whether the repository has been read: until then no model is known, none is loading yet. */
  private discovered = false;

  constructor(
    private readonly repository: ModelRepository,
    private readonly config: AppConfig,
    private readonly handlers: TaskHandlers,
    private readonly metrics: Metrics,
  ) {
    metrics.watchModels({ gauges: () => this.gauges(), has: (name) => this.models.has(name) });
  }

  onApplicationBootstrap(): void {
    this.loaded = this.loadAll();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loaded;
    await Promise.all([...this.models.values()].flatMap((model) => [model.ready?.main.close(), model.ready?.tiles?.close()]));
  }

  /** Resolves when every model has finished loading, one way or the other. */
  whenLoaded(): Promise<void> {
    return this.loaded;
  }

  /** Every enabled model loaded and warmed up (or disabled with its reason); false until the repository is read. */
  isReady(): boolean {
    return this.discovered && this.counts().loading === 0;
  }

  counts(): { ready: number; loading: number; failed: number } {
    const counts = { ready: 0, loading: 0, failed: 0 };
    for (const model of this.models.values()) counts[model.status]++;
    return counts;
  }

  list(): ModelListResponse {
    return { defaultModel: this.defaultModelName(), models: [...this.models.values()].map((model) => this.summary(model)) };
  }

  describe(name: string): ModelSummary {
    return this.summary(this.find(name));
  }

  entry(name: string): ModelEntry {
    return this.find(name).entry;
  }

  /** The model, ready to run in this process; a 404 if there is no such model, a 503 if it is loading or broken (or runs on worker nodes). */
  ready(name: string): ServingModel {
    const model = this.find(name);
    if (model.ready) return model.ready;
    if (model.info) throw new AppError('model_unavailable', `The model '${name}' runs on the worker nodes, which this route does not reach (ROLE=api); it is served by ROLE=all.`);
    throw this.unavailable(model);
  }

  /** The model, ready to take requests (here, or through the queue on an `api` node); 404 or 503 as `ready`. */
  available(name: string): ModelInfo {
    const model = this.find(name);
    if (model.info) return model.info;
    throw this.unavailable(model);
  }

  private unavailable(model: Registered): AppError {
    const reason = model.status === 'loading' ? 'is still loading; try again in a moment' : `is disabled: ${model.error}`;
    return new AppError('model_unavailable', `The model '${model.entry.name}' ${reason}.`);
  }

  /**
   * Takes a request for the model now, or refuses it now: 404 unknown, 503 not ready, 503 `busy` when it
   * already has `MAX_QUEUE` requests in hand (running or waiting), so that uploads do not pile up
   * in memory for a long wait. The request is counted until its admission is released.
   */
  admit(name: string): Admission {
    const model = this.available(name);
    return { name, model, release: this.admissionLimit(name).take() };
  }

  /** What `admit` would refuse the request with now (unknown, not ready, busy), or null; takes nothing. */
  refusal(name: string): AppError | null {
    try {
      this.available(name);
    } catch (error) {
      if (error instanceof AppError) return error;
      throw error;
    }
    return this.admissionLimit(name).refusal();
  }

  private admissionLimit(name: string): AdmissionLimit {
    let limit = this.admissions.get(name);
    if (!limit) this.admissions.set(name, (limit = new AdmissionLimit(this.config.maxQueue, `The model '${name}'`, this.config.retryAfterSeconds)));
    return limit;
  }


  /** Each model's levels for the metrics: state, requests in hand, units queued and running, worker restarts. */
  private gauges(): ModelGauges[] {
    return [...this.models.values()].map(({ entry, status, ready }) => {
      const groups = ready ? [ready.main, ...(ready.tiles ? [ready.tiles] : [])].map((group) => group.stats()) : [];
      const sum = (key: 'queued' | 'running' | 'restarts') => groups.reduce((total, stats) => total + stats[key], 0);
      return {
        model: entry.name,
        state: status === 'ready' ? 1 : status === 'loading' ? 0 : -1,
        inHand: this.inHand(entry.name),
        queued: sum('queued'),
        running: sum('running'),
        restarts: sum('restarts'),
      };
    });
  }

  /** Requests admitted for the model and not yet released. */
  inHand(name: string): number {
    return this.admissions.get(name)?.requestsInHand ?? 0;
  }

  /** `DEFAULT_MODEL`, or else the first ready model. */
  defaultModelName(): string | null {
    if (this.config.defaultModel) return this.config.defaultModel;
    return [...this.models.values()].find((model) => model.status === 'ready')?.entry.name ?? null;
  }

  private find(name: string): Registered {
    const model = this.models.get(name);
    if (!model) throw new AppError('not_found', `There is no model '${name}'. GET /api/models lists them.`);
    return model;
  }

  private async loadAll(): Promise<void> {
    const entries = await this.repository.list();
    for (const entry of entries) {
      this.models.set(entry.name, entry.error ? { entry, status: 'failed', error: entry.error } : { entry, status: 'loading' });
    }
    this.discovered = true;
    if (!this.config.runsModels) {
      // ROLE=api: the manifests are enough to validate and queue requests; worker nodes run them.
      for (const model of this.models.values()) {
        if (model.entry.error !== undefined) continue;
        model.info = { name: model.entry.name, manifest: model.entry.manifest, labels: model.entry.labels };
        model.status = 'ready';
      }
      this.logger.log(`Models: ${this.counts().ready} known, run by the worker nodes (ROLE=api)`);
      return;
    }
    // One model at a time: warming several up at once only makes each slower on a small machine.
    for (const model of this.models.values()) {
      const { entry } = model;
      if (entry.error !== undefined) continue;
      const started = performance.now();
      const { manifest } = entry;
      const handler = this.handlers.for(manifest.task);
      const instances = manifest.scheduler?.instances ?? this.config.modelWorkers;
      const threads = this.config.intraOpThreadsFor(instances);
      const { tileWorkers } = this.config;
      const batching = batchingPolicy(manifest);
      const taskKey = handler.batchKey?.bind(handler);
      // Tensors brought by a request (the V2 API) batch with each other, never with a task's images.
      const batchKey = (input: unknown): string => (isTensorUnit(input) ? tensorBatchKey(input, main.workers.signature) : `task|${taskKey?.(input) ?? ''}`);
      const observe = this.metrics.batchObserver(entry.name);
      const main = new InstanceGroup(this.workers(entry, instances, threads, `model '${entry.name}'`), batching, batchKey, observe);
      const tiles = handler.usesTileWorkers && tileWorkers > 0 ? new InstanceGroup(this.workers(entry, tileWorkers, 1, `model '${entry.name}' (tiles)`), batching, batchKey, observe) : null;
      try {
        await main.workers.start();
        await tiles?.workers.start();
        model.ready = { name: entry.name, manifest, labels: entry.labels, main, tiles };
        model.info = model.ready;
        model.status = 'ready';
        const layout = `${instances} worker(s) × ${threads} thread(s)${tiles ? `, ${tileWorkers} tile worker(s) × 1` : ''}`;
        const batches = batching.maxBatchSize > 1 ? `, batches of up to ${batching.maxBatchSize}` : '';
        this.logger.log(`Model '${entry.name}' ready in ${Math.round(performance.now() - started)} ms (${layout}${batches})`);
      } catch (error) {
        await Promise.all([main.close(), tiles?.close()]);
        model.status = 'failed';
        model.error = (error as Error).message;
        this.logger.error(`Model '${entry.name}' is disabled: ${model.error}`);
      }
    }
    const counts = this.counts();
    this.logger.log(`Models: ${counts.ready} ready, ${counts.failed} disabled`);
  }

  private workers(entry: UsableEntry, threads: number, intraOpThreads: number, name: string): ModelWorkers {
    const model: WorkerModel = {
      manifest: entry.manifest,
      weightsPath: entry.weightsPath,
      parts: { ...entry.ocr },
      runtime: { intraOpThreads, executionProviders: this.config.ortExecutionProviders },
    };
    return new ModelWorkers({ model, threads, name });
  }

  private summary({ entry, status, error }: Registered): ModelSummary {
    const manifest = entry.manifest;
    const summary: ModelSummary = {
      name: entry.name,
      title: manifest?.title ?? { en: entry.name },
      description: manifest?.description ?? { en: '' },
      task: manifest?.task ?? 'image-to-image',
      status,
      licence: { name: manifest?.licence.name ?? 'unknown', ...(manifest?.licence.url && { url: manifest.licence.url }) },
      source: manifest?.source ?? { url: '' },
      examples: (manifest?.examples ?? []).map((file) => `/api/models/${entry.name}/examples/${encodeURIComponent(file)}`),
    };
    if (error) summary.error = error;
    if (manifest?.imageToImage) summary.scale = manifest.imageToImage.scale;
    if (manifest?.classification) summary.topK = manifest.classification.topK;
    if (manifest?.ocr) summary.ocr = manifest.ocr.defaults;
    if (status === 'ready') summary.queue = { inHand: this.inHand(entry.name), limit: this.config.maxQueue };
    return summary;
  }
}
