import { ref, watch, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { TaskItem } from './use-task-queue';

/** The progress points announced per phase: enough to hear a long job move, few enough not to drown the page. */
export const MILESTONES = [0.25, 0.5, 0.75] as const;

type Phase = 'uploading' | 'processing';

export interface ProgressAnnouncementOptions<TItem> {
  /** The item's progress (0–1) in its phase, `null` when unknown; by default its upload progress while uploading. */
  progress?: (item: TItem) => number | null;
}

/**
 * What an `aria-live` region says about a queue: each file as it starts (several started at once
 * in one sentence), each quarter of its upload or processing, then the queue's own words when a
 * file is done or failed (`finished`).
 */
export function useProgressAnnouncements<TItem extends TaskItem<unknown, unknown>>(
  items: Ref<readonly TItem[]>,
  finished: Ref<string>,
  options: ProgressAnnouncementOptions<TItem> = {},
): Ref<string> {
  const { t } = useI18n();
  const progressOf =
    options.progress ?? ((item: TItem) => (item.status === 'uploading' ? item.progress : null));
  const announcement = ref('');
  /** Per file under way: its phase and how many milestones of it were announced. */
  const heard = new Map<number, { phase: Phase; milestones: number }>();

  watch(finished, (text) => (announcement.value = text));

  watch(
    () => items.value.map((item) => `${item.id}:${item.status}:${progressOf(item) ?? ''}`).join(),
    () => {
      const started: string[] = [];
      const moved: string[] = [];
      const present = new Set<number>();
      for (const item of items.value) {
        present.add(item.id);
        const name = item.file.name || 'image';
        if (item.status !== 'uploading' && item.status !== 'processing') {
          // Waiting, done or failed: a retry starts afresh.
          heard.delete(item.id);
          continue;
        }
        const last = heard.get(item.id);
        if (!last) started.push(name);
        const state = last && last.phase === item.status ? last : { phase: item.status, milestones: 0 };
        const progress = progressOf(item);
        const reached = progress === null ? 0 : MILESTONES.filter((milestone) => progress >= milestone).length;
        // A file that starts past a milestone (a fast upload) only says it started.
        if (last && reached > state.milestones) {
          const percent = Math.round(MILESTONES[reached - 1]! * 100);
          moved.push(t(item.status === 'uploading' ? 'a11y.uploaded' : 'a11y.processed', { name, percent }));
        }
        heard.set(item.id, { phase: item.status, milestones: Math.max(state.milestones, reached) });
      }
      for (const id of heard.keys()) if (!present.has(id)) heard.delete(id);

      const parts =
        started.length > 1 ? [t('a11y.startedMany', { count: started.length })] : started.map((name) => t('a11y.started', { name }));
      parts.push(...moved);
      if (parts.length > 0) announcement.value = parts.join(' ');
    },
  );

  return announcement;
}
