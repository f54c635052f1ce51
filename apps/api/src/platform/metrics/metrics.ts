import { Global, Injectable, Module } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the model registry tells: each model's levels at a scrape, and whether a name is a model. */
export interface ModelSource {
  gauges(): ModelGauges[];
  has(name: string): boolean;
}

/** One model's levels at a scrape. */
export interface ModelGauges {
  model: string;
  /** 1 ready, 0 loading, -1 disabled. */
  state: number;
  inHand: number;
  queued: number;
  running: number;
  restarts: number;
}

/** The duration histograms' bucket bounds (the status page reads quantiles off them). */
export const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/**
 * The service's Prometheus metrics (prom-client), on a registry of its own so that tests and
 * several apps in one process do not share counters. Events are observed where they happen
 * (HTTP answers, scheduler batches); levels (queues, worker restarts, store sizes) are read from
 * their owners at each scrape.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  private modelSource: ModelSource = { gauges: () => [], has: () => false };
  private storeSource: () => Array<{ store: string; bytes: number }> = () => [];

  readonly httpRequests = new Counter({
    name: 'dlserve_http_requests_total',
    help: 'HTTP requests answered, by route, model and status.',
    labelNames: ['method', 'route', 'model', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'dlserve_http_request_duration_seconds',
    help: 'Time from a request arriving to its answer being sent, by route and model.',
    labelNames: ['method', 'route', 'model'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });

  readonly queueSeconds = this.perModel('dlserve_inference_queue_seconds', 'Time a unit of work (an image, a tile, a batch of text lines) waited for a model instance.', SECONDS);
  readonly computeSeconds = this.perModel('dlserve_inference_compute_seconds', 'Time one batch took on a model instance (pre-processing, session.run and post-processing in the worker).', SECONDS);
  readonly batchSize = this.perModel('dlserve_inference_batch_size', 'Units run together in one batch.', [1, 2, 4, 8, 16, 32, 64]);

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'dlserve_' });
    const models = () => this.modelSource.gauges();
    const gauge = (name: string, help: string, value: (model: ModelGauges) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['model'] as const,
        registers: [this.registry],
        collect() {
          this.reset();
          for (const model of models()) this.set({ model: model.model }, value(model));
        },
      });
    gauge('dlserve_model_state', 'Model state: 1 ready, 0 loading, -1 disabled.', (model) => model.state);
    gauge('dlserve_model_requests_in_hand', 'Requests admitted for the model and not yet answered (its queue, against MAX_QUEUE).', (model) => model.inHand);
    gauge('dlserve_model_units_queued', 'Units waiting for a model instance.', (model) => model.queued);
    gauge('dlserve_model_units_running', 'Units running on model instances.', (model) => model.running);
    gauge('dlserve_model_worker_restarts', 'Model workers replaced since start-up (a crash or a stopped run).', (model) => model.restarts);
    const stores = () => this.storeSource();
    new Gauge({
      name: 'dlserve_store_bytes',
      help: 'Bytes in the assets and uploads stores at the last sweep.',
      labelNames: ['store'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const { store, bytes } of stores()) this.set({ store }, bytes);
      },
    });
  }

  private perModel(name: string, help: string, buckets: number[]): Histogram<'model'> {
    return new Histogram({ name, help, labelNames: ['model'] as const, buckets, registers: [this.registry] });
  }

  /** Where the per-model levels are read from at each scrape, and model names checked (the model registry). */
  watchModels(source: ModelSource): void {
    this.modelSource = source;
  }

  /** Where the stores' sizes are read from (the sweeper). */
  watchStores(source: () => Array<{ store: string; bytes: number }>): void {
    this.storeSource = source;
  }

  /** An observer for one model's scheduler. */
  batchObserver(model: string): (batch: { size: number; waitedMs: number[]; runMs: number }) => void {
    return ({ size, waitedMs, runMs }) => {
      this.batchSize.observe({ model }, size);
      this.computeSeconds.observe({ model }, runMs / 1000);
      for (const ms of waitedMs) this.queueSeconds.observe({ model }, ms / 1000);
    };
  }

  /**
   * The Express middleware that counts every answer, by the route's pattern (not its path, so
   * that a scan of made-up URLs adds no series) and by model only when the model exists.
   */
  readonly httpMiddleware = (request: Request, response: Response, next: NextFunction): void => {
    const started = performance.now();
    response.once('finish', () => {
      const route = (request.route as { path?: string } | undefined)?.path ?? (response.locals.route as string | undefined) ?? 'other';
      const name = (request.params as Record<string, string> | undefined)?.name ?? (response.locals.model as string | undefined);
      const model = name !== undefined && this.modelSource.has(name) ? name : '';
      const labels = { method: request.method, route, model };
      this.httpRequests.inc({ ...labels, status: String(response.statusCode) });
      this.httpDuration.observe(labels, (performance.now() - started) / 1000);
    });
    next();
  };

  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** `Metrics`, one per app, for every module. */
@Global()
@Module({ providers: [Metrics], exports: [Metrics] })
export class MetricsModule {}
