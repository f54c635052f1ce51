import type { ModelTask } from '@dlserve/shared';
import type { LoadExecutor, TaskExecutor, WorkerModel } from './task.js';

/**
 * Each task's worker half, loaded in the model's worker threads only (never on the main thread,
 * which then does not load ONNX Runtime at all).
 */
const EXECUTORS: Record<ModelTask, () => Promise<{ loadExecutor: LoadExecutor }>> = {
  'image-to-image': () => import('./super-resolution/executor.js'),
  'image-classification': () => import('./classification/executor.js'),
  ocr: () => import('./ocr/executor.js'),
};

export async function loadExecutor(model: WorkerModel): Promise<TaskExecutor> {
  const { loadExecutor } = await EXECUTORS[model.manifest.task]();
  return loadExecutor(model);
}
