import type { WorkUnit } from '../../tasks/task.js';
import { ModelWorkers, type UnitCallbacks } from '../runtime/model-workers.js';
import { Scheduler, type BatchingPolicy, type BatchRun, type EnqueueOptions, type SchedulerStats } from './scheduler.js';

/** A unit on its way through the scheduler, with what follows it. */
interface QueuedUnit extends UnitCallbacks {
  unit: WorkUnit;
}

export type RunOptions = Omit<EnqueueOptions, 'signal'> & UnitCallbacks;

/**
 * A model's instance group (Triton's word): `workers.threads` instances of the model behind one
 * scheduler, which hands each free instance the next batch. A unit that runs alone moves its
 * buffers to the worker; the units of a batch are copied, so that a failed batch can be retried
 * unit by unit.
 */
export class InstanceGroup {
  private readonly scheduler: Scheduler<QueuedUnit, unknown>;

  constructor(
    readonly workers: ModelWorkers,
    private readonly batching: BatchingPolicy,
    batchKey?: (input: unknown) => string,
    onBatch?: (batch: BatchRun) => void,
  ) {
    this.scheduler = new Scheduler<QueuedUnit, unknown>({
      onBatch,
      instances: workers.threads,
      batching,
      batchKey: batchKey && ((queued) => batchKey(queued.unit.input)),
      execute: (batch) =>
        workers.run(
          batch.map(({ unit }) => unit.input),
          batch.length === 1 ? (batch[0]!.unit.transfer ?? []) : [],
          batch,
        ),
    });
  }

  get instances(): number {
    return this.workers.threads;
  }

  /** Most units in one run (1: no batching). */
  get maxBatchSize(): number {
    return this.batching.maxBatchSize;
  }

  run<Out>(unit: WorkUnit, options: RunOptions = {}): Promise<Out> {
    const { onProgress, signal, ...enqueue } = options;
    return this.scheduler.enqueue({ unit, onProgress, signal }, { ...enqueue, signal }) as Promise<Out>;
  }

  stats(): SchedulerStats & { restarts: number } {
    return { ...this.scheduler.stats(), restarts: this.workers.restarts };
  }

  /** Fails what waits, lets what runs finish (a worker killed mid-run can take the process down), then ends the workers. */
  async close(): Promise<void> {
    await this.scheduler.close();
    await this.workers.close();
  }
}
