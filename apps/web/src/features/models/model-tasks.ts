import type { ModelSummary, ModelTask } from '@dlserve/shared';

const TASK_LABELS: Record<ModelTask, string> = {
  'image-to-image': 'Image → image',
  'image-classification': 'Classification',
  ocr: 'Text recognition',
};

export function taskLabel(task: ModelTask): string {
  return TASK_LABELS[task] ?? task;
}

/** The badge under a model's name: its task, with its scale for image-to-image models. */
export function modelBadge(model: Pick<ModelSummary, 'task' | 'scale'>): string {
  if (model.task === 'image-to-image' && model.scale && model.scale !== 1) {
    return `Upscale ×${model.scale}`;
  }
  return taskLabel(model.task);
}

const SUPPORTED_TASKS: readonly string[] = ['image-to-image', 'image-classification', 'ocr'] satisfies ModelTask[];

/** Whether this page can show the model's results (a newer server may list tasks it cannot). */
export function isSupportedTask(task: ModelTask): boolean {
  return SUPPORTED_TASKS.includes(task);
}
