import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import sharp from 'sharp';
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { AppConfig } from '../../platform/config/app-config.js';
import { AppError } from '../../platform/errors/app-error.js';
import { AdmissionLimit, type Release } from '../../serving/scheduler/admission-limit.js';
import type { CompressionResult, CompressSettings } from './compressor.js';
import type { CompressReply, CompressTask, CompressWorkerData } from './compress.worker.js';

const WORKER = new URL('./compress.worker.js', import.meta.url).href;

/**
 * The compression engine on `COMPRESS_WORKERS` worker threads (see compress.worker.ts), so the
 * event loop only moves bytes. Also the admission limit: at most `COMPRESS_MAX_QUEUE` requests in
 * hand, running or waiting, so uploads do not pile up in memory behind a long queue.
 */
@Injectable()
export class CompressionPool implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CompressionPool');
  private readonly piscina: Piscina<CompressTask, CompressReply>;
  private readonly admission: AdmissionLimit;
  private running = 0;

  constructor(private readonly config: AppConfig) {
    this.admission = new AdmissionLimit(config.compressMaxQueue, 'The compressor', config.retryAfterSeconds);
    const workers = config.compressWorkers;
    const workerData: CompressWorkerData = { codecThreads: availableParallelism() / workers, imageLimits: config.imageLimits };
    this.piscina = new Piscina({
      filename: WORKER,
      minThreads: workers,
      maxThreads: workers,
      workerData,
    });
    // A worker that fails while it has no task: it is replaced; nothing waits for this error.
    this.piscina.on('error', (error: unknown) => this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error)));
  }

  /** Takes a request now, or refuses it now with 503 `busy`. */
  admit(): Release {
    return this.admission.take();
  }

  /** The 503 `busy` that `admit` would throw now, or null; takes nothing. */
  refusal(): AppError | null {
    return this.admission.refusal();
  }

  /**
   * Compresses one image on a worker. The bytes are moved there, not copied, so `data` is
   * usually empty afterwards. An aborted `signal` drops the task if it waits, or stops the worker running it
   * (which is replaced), and rejects with the signal's reason.
   */
  async compress(data: Buffer, settings: CompressSettings, signal?: AbortSignal): Promise<CompressionResult> {
    const bytes = movable(data);
    this.running++;
    let reply: CompressReply;
    try {
      reply = await this.piscina.run({ data: bytes, settings }, { transferList: [bytes.buffer], signal });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw error;
    } finally {
      this.running--;
    }
    if (!reply.ok) throw new AppError(reply.error.code, reply.error.message);
    const { data: out, ...result } = reply.result;
    return { ...result, data: Buffer.from(out.buffer, out.byteOffset, out.byteLength) };
  }

  /** What the pool is doing: for tests and monitoring. */
  activity(): { requestsInHand: number; tasksInFlight: number; tasksQueued: number; workers: number[] } {
    return {
      requestsInHand: this.admission.requestsInHand,
      tasksInFlight: this.running,
      tasksQueued: this.piscina.queueSize,
      workers: this.piscina.threads.map((worker) => worker.threadId),
    };
  }

  /**
   * Warms every worker with a 1-pixel compression before the server listens: the first real
   * request does not pay for loading sharp, and a server stopped soon after start never
   * terminates a worker still loading its module (Node 20 aborts the whole process then).
   */
  async onApplicationBootstrap(): Promise<void> {
    const pixel = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#ffffff' } }).png().toBuffer();
    await Promise.all(Array.from({ length: this.config.compressWorkers }, () => this.compress(Buffer.from(pixel), { format: 'png', target: 0.9 })));
  }

  async onApplicationShutdown(): Promise<void> {
    // Waiting tasks are dropped; running ones finish, so shutting down takes one image at most.
    await this.piscina.close({ force: true });
  }
}

/**
 * The bytes in memory of their own, which can be moved to another thread. Buffers of a few KiB
 * are slices of Node's shared pool, and moving that would take every other slice with it.
 */
function movable(data: Buffer): Uint8Array<ArrayBuffer> {
  const memory = data.buffer;
  const ownsItsMemory = memory instanceof ArrayBuffer && data.byteOffset === 0 && data.byteLength === memory.byteLength;
  return ownsItsMemory ? new Uint8Array(memory) : new Uint8Array(data);
}
