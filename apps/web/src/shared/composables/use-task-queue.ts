import { getCurrentScope, onScopeDispose, ref, type Ref } from 'vue';
import { appErrorMessage } from '../api/errors';
import { toHttpError, type HttpError } from '../api/http';
import { appI18n } from '../i18n';

/**
 * `queued` waits for a free slot; `uploading` shows upload progress; `processing` is the server's
 * turn (upload at 100%, no answer yet); then `done` or `error`.
 */
export type TaskStatus = 'queued' | 'uploading' | 'processing' | 'done' | 'error';

/** One file in a queue: what every tool's list item has. */
export interface TaskItem<TOptions, TResult> {
  readonly id: number;
  readonly file: File;
  /** Object URL of the original, for previews and comparisons; revoked when the item goes. */
  readonly previewUrl: string;
  /** The options this file was (or will be) sent with. */
  options: TOptions;
  status: TaskStatus;
  /** Upload progress, 0–1. */
  progress: number;
  result: TResult | null;
  /** Why it failed, in the UI's language when it failed. */
  error: string | null;
  /** The failure itself, so a card can say it again in another language after a switch. */
  failure?: HttpError | null;
}

export interface TaskContext<TItem> {
  signal: AbortSignal;
  /** Upload progress, 0–1; at 1 the item becomes `processing`. */
  onUploadProgress: (fraction: number) => void;
  /** Changes the item, unless it was removed or cancelled meanwhile. */
  update: (change: (item: TItem) => void) => void;
}

export interface TaskQueueConfig<TItem extends TaskItem<TOptions, TResult>, TOptions, TResult> {
  /** Sends one item and resolves with its result; throws anything `toHttpError` can explain. */
  run: (item: TItem, context: TaskContext<TItem>) => Promise<TResult>;
  /** Adds a tool's own fields to a new item. */
  create: (base: TaskItem<TOptions, TResult>) => TItem;
  /** Resets a tool's own fields before an item is (re)sent. */
  reset?: (item: TItem) => void;
  /** The finished item in words (in the UI's language), for an `aria-live` region. */
  describeDone: (item: TItem, result: TResult) => string;
  /** Items in flight at once (uploading or processing). */
  concurrency?: number;
}

/**
 * A list of files, each sent on its own, at most `concurrency` at a time, with retry and cancel.
 * The tools (compression, models) differ only in `run` and in the fields they add to items.
 */
export function useTaskQueue<TItem extends TaskItem<TOptions, TResult>, TOptions, TResult>(
  config: TaskQueueConfig<TItem, TOptions, TResult>,
) {
  const concurrency = Math.max(1, config.concurrency ?? 2);
  const items = ref([]) as Ref<TItem[]>;
  /** The latest finished/failed file, in words, for the page's `aria-live` region. */
  const announcement = ref('');
  // Not reactive: they only let `remove()` cancel a request in flight.
  const controllers = new Map<number, AbortController>();
  let nextId = 1;

  const find = (id: number) => items.value.find((item) => item.id === id);
  const active = () => items.value.filter((i) => i.status === 'uploading' || i.status === 'processing');

  function add(files: Iterable<File>, options: TOptions): TItem[] {
    const added: TItem[] = [];
    for (const file of files) {
      added.push(
        config.create({
          id: nextId++,
          file,
          previewUrl: URL.createObjectURL(file),
          options: { ...options },
          status: 'queued',
          progress: 0,
          result: null,
          error: null,
        }),
      );
    }
    items.value.push(...added);
    pump();
    return added;
  }

  function pump(): void {
    let free = concurrency - active().length;
    for (const item of items.value) {
      if (free <= 0) break;
      if (item.status !== 'queued') continue;
      free -= 1;
      void run(item.id);
    }
  }

  async function run(id: number): Promise<void> {
    const item = find(id);
    if (!item) return;
    const controller = new AbortController();
    controllers.set(id, controller);
    item.status = 'uploading';
    item.progress = 0;
    item.error = null;
    item.failure = null;
    item.result = null;
    config.reset?.(item);

    const current = () => {
      const found = find(id);
      return found && !controller.signal.aborted ? found : undefined;
    };
    const update = (change: (item: TItem) => void) => {
      const found = current();
      if (found) change(found);
    };
    const onUploadProgress = (fraction: number) => {
      const found = current();
      if (!found || found.status !== 'uploading') return;
      found.progress = Math.min(1, Math.max(found.progress, fraction));
      // The body is sent; what remains is the server's work.
      if (found.progress >= 1) found.status = 'processing';
    };

    try {
      const result = await config.run(item, { signal: controller.signal, onUploadProgress, update });
      const found = current();
      if (!found) return;
      found.status = 'done';
      found.progress = 1;
      found.result = result;
      announcement.value = config.describeDone(found, result);
    } catch (error) {
      const found = current();
      if (!found) return;
      found.status = 'error';
      found.failure = toHttpError(error);
      found.error = appErrorMessage(found.failure);
      announcement.value = appI18n().t('ui.queue.failed', { name: found.file.name, error: found.error });
    } finally {
      if (controllers.get(id) === controller) controllers.delete(id);
      pump();
    }
  }

  /** Sends a failed file again, with `options` if given (the form may have changed since). */
  function retry(id: number, options?: TOptions): void {
    const item = find(id);
    if (!item || item.status !== 'error') return;
    if (options) item.options = { ...options };
    item.status = 'queued';
    item.progress = 0;
    item.error = null;
    item.failure = null;
    pump();
  }

  function release(item: TItem): void {
    controllers.get(item.id)?.abort();
    controllers.delete(item.id);
    URL.revokeObjectURL(item.previewUrl);
  }

  function remove(id: number): void {
    const index = items.value.findIndex((item) => item.id === id);
    if (index === -1) return;
    const [item] = items.value.splice(index, 1);
    if (item) release(item);
    pump();
  }

  function clear(): void {
    const removed = items.value;
    items.value = [];
    removed.forEach(release);
    announcement.value = '';
  }

  // Object URLs live until revoked, requests until aborted; don't leak them when the owner goes.
  if (getCurrentScope()) onScopeDispose(clear);

  return { items, announcement, add, retry, remove, clear };
}
