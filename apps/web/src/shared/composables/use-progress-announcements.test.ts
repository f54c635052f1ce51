import { config, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent, nextTick, ref, type Ref } from 'vue';
import { createAppI18n } from '../i18n';
import type { TaskItem, TaskStatus } from './use-task-queue';
import { useProgressAnnouncements, type ProgressAnnouncementOptions } from './use-progress-announcements';

type Item = TaskItem<null, null> & { job: number | null };

function item(id: number, name: string): Item {
  return { id, file: new File(['x'], name), previewUrl: '', options: null, status: 'queued', progress: 0, result: null, error: null, job: null };
}

/** The composable inside a component (it needs the app's i18n), with the queue's refs to drive. */
function setup(options: ProgressAnnouncementOptions<Item> = {}, locale: 'en' | 'zh' = 'en') {
  const items = ref<Item[]>([]) as Ref<Item[]>;
  const finished = ref('');
  let announcement!: Ref<string>;
  // The setup file installs English for every mount; this one may want another language.
  const plugins = config.global.plugins;
  config.global.plugins = [createAppI18n(locale)];
  mount(
    defineComponent({
      setup() {
        announcement = useProgressAnnouncements(items, finished, options);
        return () => null;
      },
    }),
  );
  config.global.plugins = plugins;
  /** Changes the items the way the queue does (in place), then lets the watcher run. */
  const change = async (fn: (list: Item[]) => void) => {
    fn(items.value);
    await nextTick();
    return announcement.value;
  };
  return { items, finished, change, announcement: () => announcement.value };
}

const set = (target: Item | undefined, status: TaskStatus, progress = 0) => {
  if (!target) return;
  target.status = status;
  target.progress = progress;
};

describe('useProgressAnnouncements', () => {
  it('says when a file starts, each quarter of its upload once, then the queue’s done message', async () => {
    const { change, finished, announcement } = setup();
    await change((list) => list.push(item(1, 'cat.png')));
    expect(announcement()).toBe(''); // waiting for a slot: nothing yet
    expect(await change((list) => set(list[0], 'uploading', 0.05))).toBe('cat.png: started');
    // Small steps between milestones say nothing new.
    await change((list) => set(list[0], 'uploading', 0.2));
    expect(announcement()).toBe('cat.png: started');
    expect(await change((list) => set(list[0], 'uploading', 0.3))).toBe('cat.png: 25% uploaded');
    // A jump over two milestones says only the last.
    expect(await change((list) => set(list[0], 'uploading', 0.8))).toBe('cat.png: 75% uploaded');
    await change((list) => set(list[0], 'uploading', 0.9));
    expect(announcement()).toBe('cat.png: 75% uploaded');
    finished.value = 'cat.png done: 400 × 300 to 800 × 600.';
    await nextTick();
    expect(announcement()).toBe('cat.png done: 400 × 300 to 800 × 600.');
  });

  it('puts files that start together in one sentence', async () => {
    const { change } = setup();
    await change((list) => list.push(item(1, 'a.png'), item(2, 'b.png'), item(3, 'c.png')));
    expect(
      await change((list) => {
        set(list[0], 'uploading');
        set(list[1], 'uploading');
      }),
    ).toBe('2 files started');
    expect(await change((list) => set(list[2], 'uploading'))).toBe('c.png: started');
  });

  it('counts the processing phase afresh, from the progress it is given, and starts again on a retry', async () => {
    const { change } = setup({
      progress: (entry) => (entry.status === 'processing' ? entry.job : entry.status === 'uploading' ? entry.progress : null),
    });
    await change((list) => list.push(item(1, 'receipt.png')));
    await change((list) => set(list[0], 'uploading', 1));
    expect(await change((list) => set(list[0], 'processing', 1))).toBe('receipt.png: started');
    await change((list) => (list[0]!.job = 0.1));
    expect(await change((list) => (list[0]!.job = 0.55))).toBe('receipt.png: 50% processed');
    // Failed, then retried: it starts again.
    await change((list) => set(list[0], 'error'));
    await change((list) => set(list[0], 'queued'));
    expect(await change((list) => set(list[0], 'uploading', 0.1))).toBe('receipt.png: started');
  });

  it('speaks the page’s language', async () => {
    const { change } = setup({}, 'zh');
    await change((list) => list.push(item(1, '猫.png')));
    expect(await change((list) => set(list[0], 'uploading', 0.1))).toBe('猫.png：已开始');
    expect(await change((list) => set(list[0], 'uploading', 0.5))).toBe('猫.png：已上传 50%');
  });
});
