import { Worker } from 'node:worker_threads';
import type { WorkerMessage } from './worker-protocol.js';

export interface WorkerPoolOptions {
  /** The worker's compiled script. */
  script: URL;
  workerData: unknown;
  size: number;
  /** For messages: which pool a failure is in. */
  name: string;
}

export interface RunOptions<Progress> {
  transfer?: ArrayBuffer[];
  onProgress?: (progress: Progress) => void;
  /**
   * Tasks of one request (the tiles of an image) share a group: a task waits behind requests,
   * not tasks. Without one, a task is a request of its own.
   */
  group?: object;
  /** Called with the number of requests waiting ahead (none of whose tasks has started) while the task waits. */
  onQueued?: (position: number) => void;
  onStart?: () => void;
}

/** A task's failure inside a worker: the model threw, or the worker died under it. */
export class WorkerTaskError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerTaskError';
  }
}

interface Task<Request, Response, Progress> {
  request: Request;
  options: RunOptions<Progress>;
  /** The position last reported to `onQueued`. */
  position?: number;
  resolve: (response: Response) => void;
  reject: (error: Error) => void;
}

interface Slot<Request, Response, Progress> {
  worker: Worker;
  task: Task<Request, Response, Progress> | null;
}

/**
 * A fixed number of worker threads, each running one task at a time, with a FIFO queue. A worker
 * that dies fails only the task it was running; it is replaced and the queue goes on.
 */
export class WorkerPool<Request, Response, Progress = never> {
  private readonly slots: Array<Slot<Request, Response, Progress>> = [];
  private readonly queue: Array<Task<Request, Response, Progress>> = [];
  private closed = false;
  /** Why workers can no longer be started, once that happens. */
  private broken: string | null = null;

  constructor(private readonly options: WorkerPoolOptions) {}

  /** How many workers run tasks at once. */
  get size(): number {
    return this.options.size;
  }

  /** Starts every worker and resolves once each has said it is ready (loaded and warmed up). */
  async start(): Promise<void> {
    try {
      for (let i = 0; i < this.options.size; i++) this.slots.push(await this.spawn());
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  run(request: Request, options: RunOptions<Progress> = {}): Promise<Response> {
    if (this.closed) return Promise.reject(new WorkerTaskError(`${this.options.name} is shut down`));
    if (this.broken !== null && this.slots.length === 0) return Promise.reject(new WorkerTaskError(this.broken));
    return new Promise<Response>((resolve, reject) => {
      this.queue.push({ request, options, resolve, reject });
      this.reportPositions();
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new WorkerTaskError(`${this.options.name} is shut down`));
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()));
  }

  private spawn(): Promise<Slot<Request, Response, Progress>> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(this.options.script, { workerData: this.options.workerData });
      const failStart = (error: Error): void => reject(new Error(`${this.options.name}: ${error.message}`));
      const exitStart = (code: number): void => reject(new Error(`${this.options.name}: worker exited with code ${code} while starting`));
      worker.once('error', failStart);
      worker.once('exit', exitStart);
      worker.once('message', (message: WorkerMessage<Response, Progress>) => {
        worker.off('error', failStart);
        worker.off('exit', exitStart);
        if (message.type !== 'ready') {
          void worker.terminate();
          reject(new Error(`${this.options.name}: worker sent '${message.type}' before 'ready'`));
          return;
        }
        const slot: Slot<Request, Response, Progress> = { worker, task: null };
        this.watch(slot);
        resolve(slot);
      });
    });
  }

  private watch(slot: Slot<Request, Response, Progress>): void {
    slot.worker.on('message', (message: WorkerMessage<Response, Progress>) => {
      const task = slot.task;
      if (!task) return;
      if (message.type === 'progress') {
        task.options.onProgress?.(message.progress);
        return;
      }
      slot.task = null;
      if (message.type === 'done') task.resolve(message.response);
      else task.reject(new WorkerTaskError(message.type === 'failed' ? message.message : `unexpected '${message.type}'`));
      this.dispatch();
    });
    slot.worker.on('error', (error) => this.replace(slot, `the worker crashed: ${error.message}`));
    slot.worker.on('exit', (code) => this.replace(slot, `the worker exited with code ${code}`));
  }

  /** A dead worker fails its task, and a new one takes its place. */
  private replace(slot: Slot<Request, Response, Progress>, reason: string): void {
    const index = this.slots.indexOf(slot);
    if (index === -1) return; // already replaced (error is followed by exit)
    this.slots.splice(index, 1);
    slot.task?.reject(new WorkerTaskError(reason));
    slot.task = null;
    slot.worker.removeAllListeners();
    void slot.worker.terminate();
    if (this.closed) return;
    this.spawn().then(
      (fresh) => {
        if (this.closed) {
          void fresh.worker.terminate();
          return;
        }
        this.slots.push(fresh);
        this.dispatch();
      },
      (error: Error) => {
        // The model loaded before, so this is rare (out of memory…): fail what waits, say why.
        this.broken = error.message;
        if (this.slots.length > 0) return;
        for (const task of this.queue.splice(0)) task.reject(new WorkerTaskError(error.message));
      },
    );
  }

  private dispatch(): void {
    let dispatched = false;
    for (const slot of this.slots) {
      if (slot.task || this.queue.length === 0) continue;
      const task = this.queue.shift()!;
      slot.task = task;
      task.options.onStart?.();
      slot.worker.postMessage(task.request, task.options.transfer ?? []);
      dispatched = true;
    }
    if (dispatched) this.reportPositions();
  }

  /**
   * Tells each waiting task, when it changes, how many requests wait ahead of it: groups none of
   * whose tasks runs yet. Only a group's first waiting task is told, and only until one starts.
   */
  private reportPositions(): void {
    const groupOf = (task: Task<Request, Response, Progress>): object => task.options.group ?? task;
    const started = new Set(this.slots.flatMap((slot) => (slot.task ? [groupOf(slot.task)] : [])));
    const ahead = new Set<object>();
    for (const task of this.queue) {
      const group = groupOf(task);
      if (!started.has(group) && !ahead.has(group) && task.position !== ahead.size) {
        task.position = ahead.size;
        task.options.onQueued?.(ahead.size);
      }
      if (!started.has(group)) ahead.add(group);
    }
  }
}
