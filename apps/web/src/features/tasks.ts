import type { ModelSummary, ModelTask } from '@dlserve/shared';
import { classificationView } from './classification';
import { ocrView } from './ocr';
import { superResolutionView } from './super-resolution';
import type { TaskI18n, TaskResult, TaskView } from './task-view';

/**
 * Every task this page can show, by the shared contract's name. A task of `MODEL_TASKS` without a
 * view here (or under another's name) fails the type check.
 */
export const TASK_VIEWS: { readonly [T in ModelTask]: TaskView<T> } = {
  'image-to-image': superResolutionView,
  'image-classification': classificationView,
  ocr: ocrView,
};

/** The view of any one task. */
export type AnyTaskView = (typeof TASK_VIEWS)[ModelTask];

/** The view of a task, or `undefined` for one this page does not know (a newer server may list it). */
export function findTaskView(task: string): AnyTaskView | undefined {
  return Object.hasOwn(TASK_VIEWS, task) ? TASK_VIEWS[task as ModelTask] : undefined;
}

/** The badge under a model's name: its task, or what the task says about this model (`Upscale ×2`). */
export function modelBadge(i18n: TaskI18n, model: ModelSummary): string {
  const view = findTaskView(model.task);
  return view?.badge?.(i18n, model) ?? view?.texts(i18n).label ?? model.task;
}

/** A finished file in words, for the screen reader. */
export function describeResult<T extends ModelTask>(i18n: TaskI18n, fileName: string, result: TaskResult<T>): string {
  return TASK_VIEWS[result.task].describe(i18n, fileName, result.file);
}
