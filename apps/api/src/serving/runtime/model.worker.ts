/**
 * A model's worker thread, on piscina: loads the model's task executor and warms it up when the
 * thread starts (module top level, which piscina awaits), tells the pool it is ready, then runs
 * the batches the scheduler sends. Everything heavy happens here, off the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { moved } from './moved.js';
import { lowerThreadPriority } from '../../infrastructure/onnx/thread-priority.js';
import { loadExecutor } from '../../tasks/executors.js';
import { CancelledError, type BatchContext, type StepProgress, type TaskExecutor, type WorkerModel } from '../../tasks/task.js';
import { isTensorUnit, type ModelSignature, type TensorUnit } from '../tensors/tensor.js';
import { splitBatch, stackBatch } from '../tensors/tensor-batch.js';

/** Messages a worker posts to its pool, under this key, besides piscina's own. */
export const RUNTIME_MESSAGE = 'dlserve:runtime';
export type RuntimeMessage =
  | { [RUNTIME_MESSAGE]: 'ready'; signature: ModelSignature }
  | { [RUNTIME_MESSAGE]: 'failed'; error: string }
  | { [RUNTIME_MESSAGE]: 'progress'; unit: number; steps: StepProgress };

/** One batch for the executor: its inputs and, per input, its id and cancellation flag. */
export interface WorkerTask {
  inputs: unknown[];
  units: Array<{ id: number; cancel: Int32Array }>;
}

const post = (message: RuntimeMessage): void => parentPort!.postMessage(message);

let executor: TaskExecutor | null = null;
let loadError = '';
if (parentPort) {
  // Before the session exists, so that its compute threads inherit the lower priority.
  lowerThreadPriority();
  try {
    executor = await loadExecutor(workerData as WorkerModel);
    await executor.warmUp();
    post({ [RUNTIME_MESSAGE]: 'ready', signature: executor.session.signature() });
  } catch (error) {
    loadError = error instanceof Error ? error.message : String(error);
    post({ [RUNTIME_MESSAGE]: 'failed', error: loadError });
  }
}

export default async function run({ inputs, units }: WorkerTask): Promise<unknown> {
  if (!executor) throw new Error(`the model did not load: ${loadError}`);
  if (inputs.every(isTensorUnit)) return runTensors(executor, inputs, units);
  const context: BatchContext = {
    progress: (index, steps) => post({ [RUNTIME_MESSAGE]: 'progress', unit: units[index]!.id, steps }),
    cancelled: (index) => Atomics.load(units[index]!.cancel, 0) !== 0,
  };
  const { outputs, transfer } = await executor.execute(inputs, context);
  return moved(outputs, transfer);
}

/**
 * Tensors a request brought (the V2 API), on the model's main session: the batch's units stacked
 * along dim 0 into one run, its outputs cut back per unit (views into the run's output, moved to
 * the main thread, not copied).
 */
async function runTensors(executor: TaskExecutor, inputs: TensorUnit[], units: WorkerTask['units']): Promise<unknown> {
  if (units.every((unit) => Atomics.load(unit.cancel, 0) !== 0)) throw new CancelledError();
  const { inputs: stacked, rows } = stackBatch(inputs);
  const outputs = splitBatch(await executor.session.runTensors(stacked, inputs[0]!.outputs), rows);
  const transfer = [...new Set(outputs.flat().map((output) => output.data.buffer as ArrayBuffer))];
  return moved(outputs, transfer);
}
