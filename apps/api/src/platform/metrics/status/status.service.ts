import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { ServiceStatus, StatusPoint, StatusResponse } from '@dlserve/shared';
import { AppConfig } from '../../config/app-config.js';
import { Metrics, SECONDS } from '../metrics.js';
import { ModelRegistry } from '../../../serving/lifecycle/model-registry.js';
import { CompressionPool } from '../../../tasks/compression/compression-pool.js';
import { countsIncrease, histogramQuantile, perMinute, zeroCounts, type ServiceCounts } from './status-math.js';

/** The compressor's row: `POST /api/compress`. */
export const COMPRESSOR = 'compressor';
const COMPRESS_ROUTE = '/api/compress';
/** Each point's rates and quantiles are over the minute before it. */
const RATE_WINDOW_MS = 60_000;

interface Snapshot {
  t: number;
  /** By service: a model's name, or `COMPRESSOR`. */
  counts: Map<string, ServiceCounts>;
}

/**
 * The status page's figures. Every `STATUS_INTERVAL_SECONDS` it copies the counters and
 * histograms the HTTP middleware and the schedulers already keep (see metrics.ts) into a buffer
 * that holds `STATUS_WINDOW_MINUTES` and a minute more; a series point is the difference between
 * a snapshot and the one a minute before it. Nothing is counted twice.
 */
@Injectable()
export class StatusService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('StatusService');
  private readonly snapshots: Snapshot[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly metrics: Metrics,
    private readonly models: ModelRegistry,
    private readonly compressor: CompressionPool,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sample();
    this.timer = setInterval(() => this.sample().catch((error: unknown) => this.logger.error(String(error))), this.config.statusIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Takes a snapshot into the buffer, and drops those too old to be needed. */
  async sample(now = Date.now()): Promise<void> {
    this.snapshots.push(await this.snapshot(now));
    const keep = now - this.config.statusWindowMs - RATE_WINDOW_MS - this.config.statusIntervalMs;
    while (this.snapshots.length > 1 && this.snapshots[0]!.t < keep) this.snapshots.shift();
  }

  /** The series up to now: the buffer's snapshots in the window, and one taken now. */
  async status(now = Date.now()): Promise<StatusResponse> {
    const current = await this.snapshot(now);
    const from = now - this.config.statusWindowMs;
    const history = [...this.snapshots.filter((snapshot) => snapshot.t < now), current];
    const points = history.map((snapshot, index) => ({ snapshot, index })).filter(({ snapshot }) => snapshot.t >= from);
    const series = (name: string): StatusPoint[] => points.map(({ snapshot, index }) => this.point(name, snapshot, baseline(history, index)));
    const total = (name: string) => current.counts.get(name)?.requests ?? 0;

    const services: ServiceStatus[] = this.models.list().models.map((model) => ({
      kind: 'model',
      name: model.name,
      title: model.title,
      task: model.task,
      state: model.status,
      queue: { inHand: this.models.inHand(model.name), limit: this.config.maxQueue },
      totalRequests: total(model.name),
      series: series(model.name),
    }));
    services.push({
      kind: 'compressor',
      name: COMPRESSOR,
      title: { en: 'Image compressor', zh: '图片压缩' },
      state: 'ready',
      queue: { inHand: this.compressor.activity().requestsInHand, limit: this.config.compressMaxQueue },
      totalRequests: total(COMPRESSOR),
      series: series(COMPRESSOR),
    });
    return {
      generatedAt: new Date(now).toISOString(),
      intervalSeconds: this.config.statusIntervalMs / 1000,
      windowSeconds: this.config.statusWindowMs / 1000,
      rateWindowSeconds: RATE_WINDOW_MS / 1000,
      services,
    };
  }

  private point(name: string, snapshot: Snapshot, before: Snapshot): StatusPoint {
    const zero = zeroCounts(SECONDS);
    const seconds = (snapshot.t - before.t) / 1000;
    const delta = countsIncrease(snapshot.counts.get(name) ?? zero, before.counts.get(name) ?? zero);
    const ms = (q: number) => {
      const seconds = histogramQuantile(q, SECONDS, delta.duration);
      return seconds === null ? null : seconds * 1000;
    };
    return {
      t: snapshot.t,
      requestsPerMinute: perMinute(delta.requests, seconds),
      clientErrorsPerMinute: perMinute(delta.clientErrors, seconds),
      serverErrorsPerMinute: perMinute(delta.serverErrors, seconds),
      p50Ms: ms(0.5),
      p95Ms: ms(0.95),
      averageBatchSize: delta.batches.count > 0 ? delta.batches.sum / delta.batches.count : null,
    };
  }

  /** The metrics as they are now, by service. */
  private async snapshot(t: number): Promise<Snapshot> {
    const counts = new Map<string, ServiceCounts>();
    const of = (name: string): ServiceCounts => {
      let entry = counts.get(name);
      if (!entry) counts.set(name, (entry = zeroCounts(SECONDS)));
      return entry;
    };
    const [requests, durations, batches] = await Promise.all([this.metrics.httpRequests.get(), this.metrics.httpDuration.get(), this.metrics.batchSize.get()]);
    for (const { labels, value } of requests.values) {
      const name = serviceOf(labels);
      if (name === null) continue;
      const entry = of(name);
      const status = Number(labels.status);
      entry.requests += value;
      if (status >= 400 && status < 500) entry.clientErrors += value;
      if (status >= 500) entry.serverErrors += value;
    }
    for (const { labels, value, metricName } of durations.values) {
      const name = serviceOf(labels);
      if (name === null) continue;
      const { duration } = of(name);
      if (metricName?.endsWith('_sum')) duration.sum += value;
      if (!metricName?.endsWith('_bucket')) continue;
      // prom-client adds `le` to the bucket samples' labels (a number, or '+Inf').
      const { le } = labels as { le?: number | string };
      const bound = le === '+Inf' || le === undefined ? Infinity : Number(le);
      const index = bound === Infinity ? SECONDS.length : SECONDS.indexOf(bound);
      if (index >= 0) duration.buckets[index]! += value;
    }
    for (const { labels, value, metricName } of batches.values) {
      if (typeof labels.model !== 'string' || labels.model === '') continue;
      const { batches: batch } = of(labels.model);
      if (metricName?.endsWith('_sum')) batch.sum += value;
      if (metricName?.endsWith('_count')) batch.count += value;
    }
    return { t, counts };
  }
}

/** The service a sample of the HTTP metrics is about: the POSTs that ran a model or the compressor. */
function serviceOf(labels: Partial<Record<string, string | number>>): string | null {
  if (labels.method !== 'POST') return null;
  if (typeof labels.model === 'string' && labels.model !== '') return labels.model;
  return labels.route === COMPRESS_ROUTE ? COMPRESSOR : null;
}

/** The latest snapshot a minute or more before `history[index]`, or else the first one (the server's start). */
function baseline(history: readonly Snapshot[], index: number): Snapshot {
  const target = history[index]!.t - RATE_WINDOW_MS;
  for (let i = index; i >= 0; i--) if (history[i]!.t <= target) return history[i]!;
  return history[0]!;
}
