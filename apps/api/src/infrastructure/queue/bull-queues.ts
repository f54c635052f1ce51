import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { EventEmitter } from 'node:events';
import { type Job, Queue, QueueEvents, QueueEventsProducer, UnrecoverableError, Worker } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { AppConfig } from '../../platform/config/app-config.js';
import { AppError } from '../../platform/errors/app-error.js';

/** BullMQ's key prefix in Redis: every queue of dlserve under `dlserve:<model>:…`. */
const PREFIX = 'dlserve';
/** The custom event an `api` node publishes on a model's event stream to stop a job a worker runs. */
const CANCEL_EVENT = 'dlserve-cancel';

export interface AddOptions {
  /** BullMQ's priority: 1 is served first. */
  priority: number;
}

/** What a job's follower hears before it finishes. */
export interface JobListeners {
  onActive?(): void;
  onProgress?(data: unknown): void;
}

/** A job's work on a worker node: the job's id and data, and the signal a cancellation aborts. */
export type JobProcessor = (job: { id: string; data: unknown; attemptsMade: number; updateProgress(data: object): Promise<void> }, signal: AbortSignal) => Promise<unknown>;

/** A job being followed (see `BullQueues.watch`). */
export interface JobWatch {
  finished(): Promise<unknown>;
  close(): void;
}

/** A failure that running the job again would not change (a bad input, a cancellation): not retried. */
export class FinalJobError extends UnrecoverableError {}

/**
 * Redis and BullMQ behind one class (the rest of the service never imports them): one queue per
 * model, jobs added with a priority, followed through BullMQ's event stream (QueueEvents), run by
 * BullMQ workers with its locks and stalled-job detection (a worker that dies has its job moved
 * back to the queue for another), retried with backoff, cancelled through a custom event that the
 * worker running the job hears. Nothing connects until first used: ROLE=all never does.
 */
@Injectable()
export class BullQueues implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Queue');
  private commands?: Redis;
  private readonly queues = new Map<string, Queue>();
  private readonly events = new Map<string, QueueEvents>();
  private readonly producers = new Map<string, QueueEventsProducer>();
  private readonly workers = new Map<string, Worker>();
  /** When the last connection error was logged: one line per outage, not one per retry. */
  private lastErrorLogged = 0;

  constructor(private readonly config: AppConfig) {}

  /** ROLE=api and worker connect at once (without waiting: a node started before Redis answers 503 until it is up). */
  onApplicationBootstrap(): void {
    if (this.config.role !== 'all') this.commandConnection();
  }

  /** Whether Redis answers now (the command connection is up). */
  get reachable(): boolean {
    return this.commandConnection().status === 'ready';
  }

  /** 503 `queue_unavailable`, with `Retry-After`. */
  unavailable(): AppError {
    return new AppError('queue_unavailable', 'The job queue cannot be reached right now; nothing was queued. Try again in a moment.', undefined, this.config.retryAfterSeconds);
  }

  /** Queues a job under `id` (a job already queued under it is left as it is); 503 `queue_unavailable` when Redis is down. */
  async add(queue: string, id: string, data: unknown, { priority }: AddOptions): Promise<void> {
    if (!this.reachable) throw this.unavailable();
    const ttlSeconds = Math.ceil(this.config.jobTtlMs / 1000);
    try {
      await this.queue(queue).add(queue, data, {
        jobId: id,
        priority,
        attempts: this.config.queueAttempts,
        backoff: { type: 'exponential', delay: 1000 },
        // The result is read through the completed event; kept a while for a follower that missed it.
        removeOnComplete: { age: ttlSeconds },
        removeOnFail: { age: ttlSeconds },
      });
    } catch (error) {
      this.logger.warn(`Could not queue a job of '${queue}': ${(error as Error).message}`);
      throw this.unavailable();
    }
  }

  /**
   * Follows a job: listens to its events from now on, so call it before `add` (a job that starts
   * at once is then seen starting). `finished` resolves with its result once it completes; rejects
   * with its final failure (retries exhausted, or a `FinalJobError`'s message), or 499 `cancelled`
   * if it is removed from the queue (`cancel`) or gone. `close` stops listening.
   */
  async watch(queue: string, id: string, listeners: JobListeners = {}): Promise<JobWatch> {
    const events = this.queueEvents(queue);
    const gone = () => new AppError('cancelled', 'The queued request was removed (cancelled, or lost with the queue); nothing was kept.');
    let settle!: { resolve: (value: unknown) => void; reject: (error: unknown) => void };
    const ending = new Promise<unknown>((resolve, reject) => (settle = { resolve, reject }));
    ending.catch(() => undefined); // read by `finished`
    let started = false;
    const onActive = () => {
      if (!started) listeners.onActive?.();
      started = true;
    };
    const on: Record<string, (args: { returnvalue?: unknown; failedReason?: string; data?: unknown }) => void> = {
      [`active:${id}`]: onActive,
      [`progress:${id}`]: ({ data }) => listeners.onProgress?.(data),
      [`completed:${id}`]: ({ returnvalue }) => settle.resolve(returnvalue),
      [`failed:${id}`]: ({ failedReason }) => settle.reject(new Error(failedReason)),
      [`removed:${id}`]: () => settle.reject(gone()),
    };
    for (const [event, listener] of Object.entries(on)) events.on(event as 'completed', listener as never);
    const close = () => {
      for (const [event, listener] of Object.entries(on)) events.off(event as 'completed', listener as never);
    };
    try {
      await withTimeout(events.waitUntilReady(), 5000);
    } catch {
      close();
      throw this.unavailable();
    }
    const finished = async (): Promise<unknown> => {
      // An ending the event stream did not bring (it was reconnecting): read from the job itself.
      const state = await this.queue(queue).getJobState(id);
      if (state === 'unknown') settle.reject(gone());
      else if (state === 'active') onActive();
      else if (state === 'completed' || state === 'failed') {
        const job = await this.queue(queue).getJob(id);
        if (!job) settle.reject(gone());
        else if (state === 'completed') settle.resolve(job.returnvalue);
        else settle.reject(new Error(job.failedReason));
      }
      return ending;
    };
    return { finished, close };
  }

  /** Stops a job: removed if no worker has it yet (true), else the worker running it is told to abort it (false). */
  async cancel(queue: string, id: string): Promise<boolean> {
    try {
      const job = await this.queue(queue).getJob(id);
      if (!job) return true;
      // Refused for a job a worker holds the lock of: that one is told instead.
      await job.remove();
      return true;
    } catch {
      await this.producer(queue).publishEvent({ eventName: CANCEL_EVENT, jobId: id });
      return false;
    }
  }

  /**
   * Runs the queue's jobs here, `concurrency` at a time, until `drain`. A job whose worker stops
   * renewing its lock for `QUEUE_STALLED_SECONDS` (a process killed) goes back to the queue; a job
   * that throws is retried with backoff, unless it threw a `FinalJobError`.
   */
  consume(queue: string, concurrency: number, processor: JobProcessor): void {
    const stalledMs = this.config.queueStalledMs;
    const worker = new Worker(
      queue,
      async (job: Job, _token?: string, signal?: AbortSignal) =>
        processor({ id: job.id!, data: job.data, attemptsMade: job.attemptsMade, updateProgress: (data) => job.updateProgress(data) }, signal ?? new AbortController().signal),
      {
        connection: this.connection(),
        prefix: PREFIX,
        concurrency,
        lockDuration: stalledMs,
        stalledInterval: Math.max(1000, stalledMs / 2),
        // A job whose workers die twice is failed rather than sent round for ever.
        maxStalledCount: 2,
      },
    );
    worker.on('error', (error) => this.logError(error));
    worker.on('stalled', (jobId) => this.logger.warn(`Job ${jobId} of '${queue}' stalled (its worker stopped renewing its lock: it died?); queued again`));
    this.workers.set(queue, worker);
    // The cancellations published by api nodes; only the worker running the job has it to abort.
    this.queueEvents(queue).on(CANCEL_EVENT as 'active', (({ jobId }: { jobId: string }) => worker.cancelJob(jobId, 'cancelled')) as never);
  }

  /** Stops taking jobs and waits for the ones running here to finish (a SIGTERM's drain). */
  async drain(): Promise<void> {
    await Promise.all([...this.workers.values()].map((worker) => worker.close()));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.drain();
    const closing = [...this.queues.values(), ...this.events.values(), ...this.producers.values()].map((part) => part.close().catch(() => undefined));
    await Promise.all(closing);
    this.commands?.disconnect();
  }

  private queue(name: string): Queue {
    return this.opened(this.queues, name, () => new Queue(name, { connection: this.commandConnection(), prefix: PREFIX }));
  }

  private queueEvents(name: string): QueueEvents {
    return this.opened(this.events, name, () => new QueueEvents(name, { connection: this.connection(), prefix: PREFIX }));
  }

  private producer(name: string): QueueEventsProducer {
    return this.opened(this.producers, name, () => new QueueEventsProducer(name, { connection: this.commandConnection(), prefix: PREFIX }));
  }

  /** One BullMQ object per queue, opened on first use, its errors logged once per outage. */
  private opened<T extends EventEmitter>(cache: Map<string, T>, name: string, open: () => T): T {
    let opened = cache.get(name);
    if (!opened) {
      opened = open();
      opened.on('error', (error: Error) => this.logError(error));
      cache.set(name, opened);
    }
    return opened;
  }

  /**
   * The shared connection for commands that must fail at once when Redis is down (queuing a
   * request: the client gets a 503 rather than a hung request); it reconnects by itself.
   */
  private commandConnection(): Redis {
    if (!this.commands) {
      this.commands = this.connect({ enableOfflineQueue: false, maxRetriesPerRequest: 1 });
      this.commands.on('ready', () => this.logger.log(`Connected to ${redacted(this.redisUrl)}`));
    }
    return this.commands;
  }

  /** A connection of its own, for BullMQ's blocking reads (workers, event streams): waits out an outage. */
  private connection(): Redis {
    return this.connect({ maxRetriesPerRequest: null });
  }

  private connect(options: RedisOptions): Redis {
    const redis = new Redis(this.redisUrl, { ...options, retryStrategy: (times) => Math.min(times * 200, 2000) });
    redis.on('error', (error) => this.logError(error));
    return redis;
  }

  private get redisUrl(): string {
    if (!this.config.redisUrl) throw new Error('The queue needs REDIS_URL (ROLE=all does not use it)');
    return this.config.redisUrl;
  }

  private logError(error: Error): void {
    if (Date.now() - this.lastErrorLogged < 5000) return;
    this.lastErrorLogged = Date.now();
    this.logger.warn(`Redis: ${error.message} (retrying)`);
  }
}

/** The URL without its password, for the log. */
function redacted(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`not within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
