import type { LocalizedText, ModelStatus, ModelTask } from './index.js';

/**
 * `GET /api/status`: what each model and the compressor are doing now, and over the last
 * minutes, for the status page. Sampled from the service's own Prometheus metrics.
 */
export interface StatusResponse {
  /** When these figures were taken (ISO 8601). */
  generatedAt: string;
  /** Seconds between two points of a series (`STATUS_INTERVAL_SECONDS`). */
  intervalSeconds: number;
  /** How far back the series go, in seconds (`STATUS_WINDOW_MINUTES` × 60). */
  windowSeconds: number;
  /** Each point's figures are over the minute that ends at its time (fewer seconds just after start-up). */
  rateWindowSeconds: number;
  /** The models (by their name), then the compressor. */
  services: ServiceStatus[];
}

/** One row of the status page: a model, or the compressor (`POST /api/compress`). */
export interface ServiceStatus {
  kind: 'model' | 'compressor';
  /** The model's name; `compressor` for the compressor. */
  name: string;
  /** The manifest's title, per language; the web client names the compressor itself. */
  title: LocalizedText;
  /** Absent for the compressor. */
  task?: ModelTask;
  state: ModelStatus;
  /** Requests admitted and not yet answered, and the most it takes (`MAX_QUEUE`, `COMPRESS_MAX_QUEUE`). */
  queue: { inHand: number; limit: number };
  /** Requests answered since the server started (errors included). */
  totalRequests: number;
  /** Oldest first, one every `intervalSeconds`; the last is now. */
  series: StatusPoint[];
}

/**
 * One point of a series. Requests are the `POST`s that ran the model (`/api/models/{name}`,
 * `/api/process`, `/v2/models/{name}/infer`) or the compressor; errors are those of them that
 * were answered 4xx (the client's: a bad image, a bad option) or 5xx (the server's: busy,
 * unavailable, failed, timed out). Latencies are interpolated from the request-duration
 * histogram's buckets, as Prometheus's `histogram_quantile` does.
 */
export interface StatusPoint {
  /** Unix time, milliseconds. */
  t: number;
  requestsPerMinute: number;
  clientErrorsPerMinute: number;
  serverErrorsPerMinute: number;
  /** Median answer time in milliseconds; null when there was no request. */
  p50Ms: number | null;
  p95Ms: number | null;
  /** Mean units per batch the model ran; null without batches (and always for the compressor). */
  averageBatchSize: number | null;
}
