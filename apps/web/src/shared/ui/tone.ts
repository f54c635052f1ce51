import type { ModelStatus } from '@dlserve/shared';
import type { TaskStatus } from '../composables/use-task-queue';

/**
 * What a badge, chip, pill or notice says, as a colour pair (text on its soft background):
 * the `tone-*` classes of app/styles.css, one place for the palette the contrast checks guard.
 */
export type Tone = 'neutral' | 'accent' | 'success' | 'warning' | 'danger';

export const toneClass = (tone: Tone): string => `tone-${tone}`;

export const MODEL_STATUS_TONE: Readonly<Record<ModelStatus, Tone>> = { loading: 'warning', ready: 'success', failed: 'danger' };

export const TASK_STATUS_TONE: Readonly<Record<TaskStatus, Tone>> = {
  queued: 'neutral',
  uploading: 'accent',
  processing: 'accent',
  done: 'success',
  error: 'danger',
};
