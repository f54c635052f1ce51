/**
 * One model instance group's queue, after Triton's schedulers: every unit of work (an image, a
 * tile, a batch of OCR lines) is enqueued here, and the run function receives a *list* of them.
 * With `maxBatchSize` 1 it is FIFO; above it, a dynamic batcher: when an instance is free, it
 * takes the oldest unit and the units queued after it that can share its tensor (`batchKey`).
 *
 * Hand-written: piscina's queue cannot hold units back to batch them, nor hand several to one run.
 */

/** A model's batching settings (`scheduler` in model.json), as Triton's `dynamic_batching`. */
export interface BatchingPolicy {
  /** Most units in one run; 1 turns batching off. */
  maxBatchSize: number;
  /** Batch sizes sent as soon as they can be formed (the largest that fits is taken). */
  preferredBatchSizes: readonly number[];
  /**
   * How long the oldest unit may wait for others to batch with while an instance is free.
   * 0 (the default): never wait; batches then form only from units that queued while every
   * instance was busy, so a lone request pays nothing.
   */
  maxQueueDelayMs: number;
}

export const NO_BATCHING: BatchingPolicy = { maxBatchSize: 1, preferredBatchSizes: [], maxQueueDelayMs: 0 };

export interface SchedulerOptions<In> {
  /** Runs one batch at a time per instance: answers one output per input, in order. */
  execute: (inputs: In[]) => Promise<unknown[]>;
  /** Batches run at once (the instance group's size). */
  instances: number;
  batching?: BatchingPolicy;
  /** Units with the same key can share a tensor; without it, any two can. */
  batchKey?: (input: In) => string;
  /** What a unit the scheduler refuses (closed) fails with. */
  closedError?: () => Error;
  /** Told of every batch once it has run: its size, how long each unit waited, how long it ran. */
  onBatch?: (batch: BatchRun) => void;
}

export interface BatchRun {
  size: number;
  waitedMs: number[];
  runMs: number;
}

export interface EnqueueOptions {
  /** Aborting drops the unit while it waits; a running batch finishes, its answer discarded. */
  signal?: AbortSignal;
  /**
   * Units of one request (the tiles of an image) share a group: a unit waits behind the
   * requests that came before its own, not behind units. Without one, a unit is a request of its own.
   */
  group?: object;
  /** How many requests wait ahead (none of whose units has started), each time that changes. */
  onQueued?: (position: number) => void;
  onStart?: () => void;
}

interface Unit<In> {
  input: In;
  options: EnqueueOptions;
  /** When its request (group) was first seen: the queue's order. */
  arrival: number;
  enqueuedAt: number;
  position?: number;
  resolve: (output: unknown) => void;
  reject: (error: unknown) => void;
  detach: () => void;
}

export interface SchedulerStats {
  queued: number;
  running: number;
  batches: number;
  /** Units run, over all batches: `units / batches` is the mean batch size. */
  units: number;
}

export class Scheduler<In, Out> {
  private readonly queue: Array<Unit<In>> = [];
  /** The groups of the units running now, one entry per unit. */
  private readonly runningGroups: object[] = [];
  private runningBatches = 0;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Called when the last running batch finishes after `close`. */
  private idle: (() => void) | null = null;
  private batches = 0;
  private units = 0;
  private readonly batching: BatchingPolicy;
  private readonly arrivals = new WeakMap<object, number>();
  private arrived = 0;

  constructor(private readonly options: SchedulerOptions<In>) {
    this.batching = options.batching ?? NO_BATCHING;
  }

  enqueue(input: In, options: EnqueueOptions = {}): Promise<Out> {
    const { signal } = options;
    if (this.closed) return Promise.reject(this.closedError());
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<Out>((resolve, reject) => {
      const onAbort = (): void => this.drop(unit, signal!.reason);
      const unit: Unit<In> = {
        input,
        options,
        arrival: this.arrivalOf(options.group),
        enqueuedAt: performance.now(),
        resolve: resolve as (output: unknown) => void,
        reject,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.insert(unit);
      this.reportPositions();
      this.dispatch();
    });
  }

  stats(): SchedulerStats {
    return { queued: this.queue.length, running: this.runningBatches, batches: this.batches, units: this.units };
  }

  /** Fails every waiting unit; resolves once the running batches have finished. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const unit of this.queue.splice(0)) {
      unit.detach();
      unit.reject(this.closedError());
    }
    if (this.runningBatches > 0) await new Promise<void>((resolve) => (this.idle = resolve));
  }

  /**
   * A request's units keep its place: they queue behind the requests that came before it and
   * ahead of those that came after, so requests finish in the order they came, and a request
   * cut into tiles is not slowed down by every request that arrives while it runs.
   */
  private arrivalOf(group: object | undefined): number {
    if (!group) return this.arrived++;
    let arrival = this.arrivals.get(group);
    if (arrival === undefined) this.arrivals.set(group, (arrival = this.arrived++));
    return arrival;
  }

  private insert(unit: Unit<In>): void {
    const after = this.queue.findIndex((queued) => queued.arrival > unit.arrival);
    if (after === -1) this.queue.push(unit);
    else this.queue.splice(after, 0, unit);
  }

  private closedError(): Error {
    return this.options.closedError?.() ?? new Error('the scheduler is closed');
  }

  private drop(unit: Unit<In>, reason: unknown): void {
    const index = this.queue.indexOf(unit);
    if (index === -1) return; // already running: its batch finishes, and nobody reads the answer
    this.queue.splice(index, 1);
    unit.detach();
    unit.reject(reason);
    this.reportPositions();
  }

  private dispatch(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    let started = false;
    while (this.runningBatches < this.options.instances && this.queue.length > 0) {
      const batch = this.nextBatch();
      if (batch === null) break;
      started = true;
      void this.run(batch);
    }
    if (started) this.reportPositions();
  }

  /** The units of the next batch, taken off the queue; null when it is worth waiting for more. */
  private nextBatch(): Array<Unit<In>> | null {
    const { maxBatchSize, preferredBatchSizes, maxQueueDelayMs } = this.batching;
    const head = this.queue[0]!;
    const key = this.options.batchKey?.(head.input);
    const fits = (unit: Unit<In>): boolean => key === undefined || this.options.batchKey!(unit.input) === key;
    const candidates: Array<Unit<In>> = [];
    for (const unit of this.queue) {
      if (candidates.length === maxBatchSize) break;
      if (fits(unit)) candidates.push(unit);
    }
    const preferred = Math.max(0, ...preferredBatchSizes.filter((size) => size <= candidates.length));
    const waited = performance.now() - head.enqueuedAt;
    const full = candidates.length === maxBatchSize || preferred > 0;
    if (!full && waited < maxQueueDelayMs) {
      this.timer = setTimeout(() => this.dispatch(), maxQueueDelayMs - waited);
      return null;
    }
    const batch = candidates.slice(0, preferred || candidates.length);
    for (const unit of batch) this.queue.splice(this.queue.indexOf(unit), 1);
    return batch;
  }

  private async run(batch: Array<Unit<In>>): Promise<void> {
    this.runningBatches++;
    this.batches++;
    this.units += batch.length;
    const groups = batch.map((unit) => unit.options.group ?? unit);
    this.runningGroups.push(...groups);
    const started = performance.now();
    for (const unit of batch) {
      unit.detach();
      unit.options.onStart?.();
    }
    try {
      await this.runBatch(batch);
    } finally {
      this.options.onBatch?.({ size: batch.length, waitedMs: batch.map((unit) => started - unit.enqueuedAt), runMs: performance.now() - started });
      for (const group of groups) this.runningGroups.splice(this.runningGroups.indexOf(group), 1);
      this.runningBatches--;
      if (this.closed && this.runningBatches === 0) this.idle?.();
      this.dispatch();
    }
  }

  /**
   * A batch that fails is run again unit by unit, so that a bad unit fails only its own
   * request; a batch of one fails with its error.
   */
  private async runBatch(batch: Array<Unit<In>>): Promise<void> {
    let outputs: unknown[];
    try {
      outputs = await this.options.execute(batch.map((unit) => unit.input));
      if (outputs.length !== batch.length) throw new Error(`the run answered ${outputs.length} outputs for ${batch.length} inputs`);
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      await Promise.all(batch.map((unit) => this.runBatch([unit])));
      return;
    }
    for (const [i, unit] of batch.entries()) unit.resolve(outputs[i]);
  }

  /**
   * Tells each waiting unit, when it changes, how many requests wait ahead of it: groups none of
   * whose units runs yet. Only a group's first waiting unit is told, and only until one starts.
   */
  private reportPositions(): void {
    const started = new Set(this.runningGroups);
    const ahead = new Set<object>();
    for (const unit of this.queue) {
      const group = unit.options.group ?? unit;
      if (started.has(group)) continue;
      if (!ahead.has(group) && unit.position !== ahead.size) {
        unit.position = ahead.size;
        unit.options.onQueued?.(ahead.size);
      }
      ahead.add(group);
    }
  }
}
