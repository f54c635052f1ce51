import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DEFAULT_IMAGE_LIMITS, type ImageLimits } from '../../infrastructure/imaging/image-codec.js';

const MiB = 1024 * 1024;

/** Where `pnpm build` puts the single-page app, relative to this compiled file (dist/src/platform/config). */
const BUILT_WEB_APP = fileURLToPath(new URL('../../../../../web/dist', import.meta.url));
/** The repository's model folder, relative to this compiled file. */
const REPOSITORY_MODELS = fileURLToPath(new URL('../../../../../../models', import.meta.url));
/** Where results and uploads go by default: `data/` at the repository's root, however it is started. */
const REPOSITORY_DATA = fileURLToPath(new URL('../../../../../../data', import.meta.url));

const EXECUTION_PROVIDERS = ['cpu', 'cuda', 'dml', 'coreml', 'webgpu'] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];

export const ROLES = ['all', 'api', 'worker'] as const;
/** `all`: one process does everything; `api`: HTTP, validation, uploads, and the queue; `worker`: the models, fed by the queue. */
export type Role = (typeof ROLES)[number];

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();

/**
 * Every environment variable the API reads, declared once. The README's configuration table
 * lists the same names, defaults and meanings.
 */
const EnvSchema = z.object({
  PORT: port.default(1127),
  HOST: z.string().min(1).default('127.0.0.1'),
  ASSETS_DIR: z.string().min(1).default(`${REPOSITORY_DATA}/assets`),
  UPLOADS_DIR: z.string().min(1).default(`${REPOSITORY_DATA}/uploads`),
  MAX_FILE_BYTES: positiveInt.default(25 * MiB),
  MAX_FILES: positiveInt.max(1000).default(20),
  WEB_DIR: z.string().default(BUILT_WEB_APP),
  MODELS_DIR: z.string().min(1).default(REPOSITORY_MODELS),
  MODELS: z.string().optional(),
  DEFAULT_MODEL: z.string().optional(),
  MODEL_WORKERS: positiveInt.max(64).default(1),
  ORT_INTRA_OP_THREADS: positiveInt.max(256).optional(),
  TILE_WORKERS: z.coerce.number().int().min(0).max(64).optional(),
  ORT_EXECUTION_PROVIDERS: z
    .string()
    .default('cpu')
    .transform((value) => value.split(',').map((name) => name.trim()))
    .pipe(z.array(z.enum(EXECUTION_PROVIDERS)).min(1)),
  JOB_TTL_SECONDS: positiveInt.default(3600),
  JOB_TIMEOUT_SECONDS: positiveInt.max(7 * 86_400).default(3600),
  MAX_QUEUE: positiveInt.default(32),
  COMPRESS_WORKERS: positiveInt.max(64).optional(),
  COMPRESS_MAX_QUEUE: positiveInt.default(32),
  MAX_IMAGE_PIXELS: positiveInt.max(1_000_000_000).default(DEFAULT_IMAGE_LIMITS.maxPixels),
  MAX_IMAGE_SIDE: positiveInt.max(1_000_000).default(DEFAULT_IMAGE_LIMITS.maxSide),
  MAX_IMAGE_ASPECT_RATIO: z.coerce.number().min(1).default(DEFAULT_IMAGE_LIMITS.maxAspectRatio),
  MAX_IMAGE_FRAMES: positiveInt.default(DEFAULT_IMAGE_LIMITS.maxFrames),
  // Overload, time, access, shutdown and storage (issue 11).
  RETRY_AFTER_SECONDS: positiveInt.max(3600).default(5),
  REQUEST_TIMEOUT_SECONDS: positiveInt.max(86_400).default(120),
  TRUST_PROXY: z.string().optional(),
  RATE_LIMIT_MAX: z.coerce.number().int().min(0).default(600),
  RATE_LIMIT_WINDOW_SECONDS: positiveInt.max(86_400).default(60),
  API_KEYS: z.string().optional(),
  CORS_ORIGINS: z.string().optional(),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(3600).default(30),
  ASSETS_TTL_SECONDS: z.coerce.number().int().min(0).default(86_400),
  UPLOADS_TTL_SECONDS: z.coerce.number().int().min(0).default(86_400),
  ASSETS_MAX_BYTES: z.coerce.number().int().min(0).default(5 * 1024 * MiB),
  UPLOADS_MAX_BYTES: z.coerce.number().int().min(0).default(5 * 1024 * MiB),
  SWEEP_INTERVAL_SECONDS: positiveInt.max(86_400).default(300),
  MAX_REQUEST_BYTES: positiveInt.default(100 * MiB),
  STATUS_INTERVAL_SECONDS: positiveInt.max(3600).default(10),
  STATUS_WINDOW_MINUTES: positiveInt.max(1440).default(15),
  // Scaling out (issue 14).
  ROLE: z.enum(ROLES).default('all'),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  QUEUE_CONCURRENCY: positiveInt.max(256).optional(),
  QUEUE_STALLED_SECONDS: positiveInt.max(3600).default(30),
  QUEUE_ATTEMPTS: positiveInt.max(20).default(3),
}).check((context) => {
  if (context.value.ROLE !== 'all' && !context.value.REDIS_URL) {
    context.issues.push({
      code: 'custom',
      path: ['REDIS_URL'],
      input: context.value.REDIS_URL,
      message: `ROLE=${context.value.ROLE} needs REDIS_URL (e.g. redis://127.0.0.1:6379): api and worker nodes meet in its queues`,
    });
  }
});

export type Env = z.input<typeof EnvSchema>;

/** The API's settings, parsed from the environment once at start-up. */
export class AppConfig {
  readonly port: number;
  readonly host: string;
  /** Absolute path of the folder results are written to and served from at `/assets/`. */
  readonly assetsDir: string;
  /** Absolute path of the folder `POST /api/uploads` keeps files in. */
  readonly uploadsDir: string;
  readonly maxFileBytes: number;
  readonly maxFiles: number;
  /** `MAX_REQUEST_BYTES`: a request's whole body at most, as its Content-Length declares it (uploads are held in memory). */
  readonly maxRequestBytes: number;
  /** Absolute path of the built web app served at `/`; null when `WEB_DIR` is set empty. */
  readonly webDir: string | null;
  /** The model repository: one folder per model. */
  readonly modelsDir: string;
  /** Only these models are loaded; null loads every folder. */
  readonly enabledModels: readonly string[] | null;
  /** The model `POST /api/process` runs; null picks the first ready one. */
  readonly defaultModel: string | null;
  /** Worker threads per model, each with its own ONNX Runtime session. */
  readonly modelWorkers: number;
  /** `ORT_INTRA_OP_THREADS`: ONNX Runtime's threads inside one inference of a model's workers; null: shared out. */
  private readonly ortIntraOpThreads: number | null;
  private readonly cores = availableParallelism();
  /** Single-threaded workers per image-to-image model for the tiles of large images; 0: none. */
  readonly tileWorkers: number;
  /** ONNX Runtime execution providers, in order of preference; CPU is always the fallback. */
  readonly ortExecutionProviders: readonly ExecutionProvider[];
  /** How long a finished job (and its result) can still be read. */
  readonly jobTtlMs: number;
  /** `JOB_TIMEOUT_SECONDS`: how long a job may take, waiting included; past it, it fails with `timeout` and its work is cancelled. */
  readonly jobTimeoutMs: number;
  /** Requests one model may have in hand; past it, requests are refused (503 `busy`, Retry-After) rather than pile up in memory. */
  readonly maxQueue: number;
  /** Worker threads that compress images (`POST /api/compress`), one image each at a time. */
  readonly compressWorkers: number;
  /** Compress requests in hand (running or waiting) at most; past it, requests are refused (503 `busy`, Retry-After). */
  readonly compressMaxQueue: number;
  /** What every uploaded image may be, checked from its header (`MAX_IMAGE_*`). */
  readonly imageLimits: Readonly<ImageLimits>;

  /** Seconds a refused client is told to wait (`Retry-After`) when a queue is full. */
  readonly retryAfterSeconds: number;
  /** How long a synchronous model request may take, queue included, unless its manifest says otherwise. */
  readonly requestTimeoutMs: number;
  /** Express's `trust proxy`: which proxies' `X-Forwarded-For` to believe; false: none (the socket's address). */
  readonly trustProxy: boolean | number | string;
  /** Requests per client address per window on `/api/*`; 0: no limit. */
  readonly rateLimitMax: number;
  readonly rateLimitWindowMs: number;
  /** When not empty, `/api/*` (but health) needs one of these keys. */
  readonly apiKeys: readonly string[];
  /** Origins allowed to call the API from a browser; empty: CORS off (same origin only). */
  readonly corsOrigins: readonly string[];
  /** How long SIGTERM waits for requests and jobs in flight before closing anyway. */
  readonly shutdownGraceMs: number;
  /** Results and uploads are removed this long after they were written; 0: kept. */
  readonly assetsTtlMs: number;
  readonly uploadsTtlMs: number;
  /** The stores are kept under these sizes, oldest files removed first; 0: no cap. */
  readonly assetsMaxBytes: number;
  readonly uploadsMaxBytes: number;
  /** How often the status page's figures are sampled, and how far back its series go. */
  readonly statusIntervalMs: number;
  readonly statusWindowMs: number;
  /** How often the stores are swept of expired files. */
  readonly sweepIntervalMs: number;
  /** What this process does (`ROLE`). */
  readonly role: Role;
  /** Where the queues are (`REDIS_URL`); null with ROLE=all, which needs none. */
  readonly redisUrl: string | null;
  /** `QUEUE_CONCURRENCY`: jobs of one model a worker node runs at once; null: twice the model's workers (one pre/post-processing while one runs). */
  readonly queueConcurrency: number | null;
  /** How long a worker's job lock lasts without renewal: a worker silent this long is dead and its job goes back to the queue. */
  readonly queueStalledMs: number;
  /** Attempts of a queued job that fails unexpectedly (a model error on the input is not retried). */
  readonly queueAttempts: number;

  private constructor(env: z.output<typeof EnvSchema>) {
    this.port = env.PORT;
    this.host = env.HOST;
    this.assetsDir = resolve(env.ASSETS_DIR);
    this.uploadsDir = resolve(env.UPLOADS_DIR);
    this.maxFileBytes = env.MAX_FILE_BYTES;
    this.maxFiles = env.MAX_FILES;
    this.maxRequestBytes = env.MAX_REQUEST_BYTES;
    this.webDir = env.WEB_DIR === '' ? null : resolve(env.WEB_DIR);
    this.modelsDir = resolve(env.MODELS_DIR);
    this.enabledModels = env.MODELS ? env.MODELS.split(',').map((name) => name.trim()).filter(Boolean) : null;
    this.defaultModel = env.DEFAULT_MODEL ?? null;
    this.modelWorkers = env.MODEL_WORKERS;
    this.ortIntraOpThreads = env.ORT_INTRA_OP_THREADS ?? null;
    // On one core, tiles have nothing to run in parallel on.
    this.tileWorkers = env.TILE_WORKERS ?? (this.cores > 1 ? this.cores : 0);
    this.ortExecutionProviders = env.ORT_EXECUTION_PROVIDERS;
    this.jobTtlMs = env.JOB_TTL_SECONDS * 1000;
    this.jobTimeoutMs = env.JOB_TIMEOUT_SECONDS * 1000;
    this.maxQueue = env.MAX_QUEUE;
    this.compressWorkers = env.COMPRESS_WORKERS ?? this.cores;
    this.compressMaxQueue = env.COMPRESS_MAX_QUEUE;
    this.imageLimits = {
      maxPixels: env.MAX_IMAGE_PIXELS,
      maxSide: env.MAX_IMAGE_SIDE,
      maxAspectRatio: env.MAX_IMAGE_ASPECT_RATIO,
      maxFrames: env.MAX_IMAGE_FRAMES,
    };
    this.retryAfterSeconds = env.RETRY_AFTER_SECONDS;
    this.requestTimeoutMs = env.REQUEST_TIMEOUT_SECONDS * 1000;
    this.trustProxy = parseTrustProxy(env.TRUST_PROXY);
    this.rateLimitMax = env.RATE_LIMIT_MAX;
    this.rateLimitWindowMs = env.RATE_LIMIT_WINDOW_SECONDS * 1000;
    this.apiKeys = list(env.API_KEYS);
    this.corsOrigins = list(env.CORS_ORIGINS);
    this.shutdownGraceMs = env.SHUTDOWN_GRACE_SECONDS * 1000;
    this.assetsTtlMs = env.ASSETS_TTL_SECONDS * 1000;
    this.uploadsTtlMs = env.UPLOADS_TTL_SECONDS * 1000;
    this.assetsMaxBytes = env.ASSETS_MAX_BYTES;
    this.uploadsMaxBytes = env.UPLOADS_MAX_BYTES;
    this.sweepIntervalMs = env.SWEEP_INTERVAL_SECONDS * 1000;
    this.statusIntervalMs = env.STATUS_INTERVAL_SECONDS * 1000;
    this.statusWindowMs = env.STATUS_WINDOW_MINUTES * 60_000;
    this.role = env.ROLE;
    this.redisUrl = env.REDIS_URL ?? null;
    this.queueConcurrency = env.QUEUE_CONCURRENCY ?? null;
    this.queueStalledMs = env.QUEUE_STALLED_SECONDS * 1000;
    this.queueAttempts = env.QUEUE_ATTEMPTS;
  }

  /** Whether this process runs models (ROLE=all or worker). */
  get runsModels(): boolean {
    return this.role !== 'api';
  }

  /** ONNX Runtime's threads inside one inference, for a model with this many workers: the cores shared out, unless set. */
  intraOpThreadsFor(workers: number): number {
    return this.ortIntraOpThreads ?? Math.max(1, Math.floor(this.cores / workers));
  }

  /** Parses the environment; throws one error listing every bad variable. */
  static fromEnv(env: Record<string, string | undefined> = process.env): AppConfig {
    const known = Object.fromEntries(
      Object.keys(EnvSchema.shape).map((name) => [name, emptyToUndefined(name, env[name])]),
    );
    const parsed = EnvSchema.safeParse(known);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
      throw new Error(`Invalid configuration:\n${problems.join('\n')}`);
    }
    return new AppConfig(parsed.data);
  }
}

function list(value: string | undefined): string[] {
  return value ? value.split(',').map((item) => item.trim()).filter(Boolean) : [];
}

/** `TRUST_PROXY`: unset or false: none; true: every hop; a number: that many hops; else Express's list of addresses/subnets. */
function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === 'false' || value === '0') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** An unset and an empty variable mean "use the default", except `WEB_DIR=` which turns the app off. */
function emptyToUndefined(name: string, value: string | undefined): string | undefined {
  if (name === 'WEB_DIR') return value;
  return value === undefined || value.trim() === '' ? undefined : value;
}
