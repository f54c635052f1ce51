import { Piscina } from 'piscina';
import type { StepProgress, WorkerModel } from '../../tasks/task.js';
import type { ModelSignature } from '../tensors/tensor.js';
import { RUNTIME_MESSAGE, type RuntimeMessage, type WorkerTask } from './model.worker.js';

const WORKER_SCRIPT = new URL('./model.worker.js', import.meta.url);

/** A failure inside a model worker: the model threw, or the worker died under it. */
export class WorkerTaskError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerTaskError';
  }
}

export interface ModelWorkersOptions {
  model: WorkerModel;
  threads: number;
  /** For messages: which model (and instance group) a failure is in. */
  name: string;
}

/** What one input of a batch is followed by, on the main thread. */
export interface UnitCallbacks {
  onProgress?: (steps: StepProgress) => void;
  /** Aborting raises the unit's cancellation flag, which its executor reads between steps. */
  signal?: AbortSignal;
}

/**
 * One instance group of a model: worker threads on piscina, each with its own ONNX Runtime
 * session, loaded and warmed up before `start` resolves. piscina replaces a worker that dies
 * (failing only the task it ran); the scheduler in front keeps piscina's own queue near empty.
 */
export class ModelWorkers {
  private readonly pool: Piscina;
  private readonly ready: Promise<void>;
  private readonly progressListeners = new Map<number, (steps: StepProgress) => void>();
  private nextUnitId = 0;
  private started = 0;
  /** Workers started again after one died. */
  restarts = 0;
  /** The main session's inputs and outputs, as the first worker to be ready reported them. */
  signature: ModelSignature | null = null;

  constructor(private readonly options: ModelWorkersOptions) {
    this.pool = new Piscina({
      filename: WORKER_SCRIPT.href,
      workerData: options.model,
      minThreads: options.threads,
      maxThreads: options.threads,
      concurrentTasksPerWorker: 1,
      // Loaded models stay loaded.
      idleTimeout: Number.POSITIVE_INFINITY,
    });
    this.ready = new Promise<void>((resolve, reject) => {
      this.pool.on('message', (message: RuntimeMessage) => {
        if (!(message && typeof message === 'object' && RUNTIME_MESSAGE in message)) return;
        switch (message[RUNTIME_MESSAGE]) {
          case 'progress':
            this.progressListeners.get(message.unit)?.(message.steps);
            return;
          case 'failed':
            reject(new Error(`${options.name}: ${message.error}`));
            return;
          case 'ready':
            this.signature ??= message.signature;
            if (++this.started > options.threads) this.restarts++;
            if (this.started === options.threads) resolve();
        }
      });
      this.pool.on('error', (error: Error) => reject(new Error(`${options.name}: ${error.message}`)));
    });
    this.ready.catch(() => {}); // read by start()
  }

  get threads(): number {
    return this.options.threads;
  }

  /** Resolves once every worker has loaded and warmed up its model; rejects with why one could not. */
  async start(): Promise<void> {
    try {
      await this.ready;
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  /** Runs a batch of inputs on a free worker; answers one output per input, in order. */
  async run(inputs: unknown[], transfer: ArrayBuffer[], callbacks: UnitCallbacks[] = []): Promise<unknown[]> {
    const units: WorkerTask['units'] = [];
    const cleanups: Array<() => void> = [];
    for (const [i] of inputs.entries()) {
      const id = this.nextUnitId++;
      const cancel = new Int32Array(new SharedArrayBuffer(4));
      const { onProgress, signal } = callbacks[i] ?? {};
      if (onProgress) this.progressListeners.set(id, onProgress);
      const onAbort = (): void => void Atomics.store(cancel, 0, 1);
      if (signal?.aborted) onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      cleanups.push(() => {
        this.progressListeners.delete(id);
        signal?.removeEventListener('abort', onAbort);
      });
      units.push({ id, cancel });
    }
    const task: WorkerTask = { inputs, units };
    try {
      return (await this.pool.run(task, { transferList: transfer as never })) as unknown[];
    } catch (error) {
      throw new WorkerTaskError(error instanceof Error ? error.message : String(error));
    } finally {
      for (const cleanup of cleanups) cleanup();
    }
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
