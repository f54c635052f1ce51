import type { CompressOptions, CompressResponse, CompressedFile } from '@dlserve/shared';
import { computed, getCurrentScope, onScopeDispose, ref } from 'vue';
import { compressImage } from '../api/compress';
import { toHttpError } from '../api/http';
import { formatBytes, formatSaving, savingRatio } from '../utils/format';

/**
 * `queued` waits for a free upload slot; `uploading` shows upload progress; `processing` is the
 * server's turn (upload at 100%, no answer yet); then `done` or `error`.
 */
export type UploadStatus = 'queued' | 'uploading' | 'processing' | 'done' | 'error';

export interface UploadItem {
  readonly id: number;
  readonly file: File;
  /** Object URL of the original, for the before/after comparison; revoked when the item goes. */
  readonly previewUrl: string;
  /** The options this file was (or will be) sent with. */
  options: CompressOptions;
  status: UploadStatus;
  /** Upload progress, 0–1. */
  progress: number;
  result: CompressedFile | null;
  error: string | null;
}

export type CompressFn = (
  file: File,
  options: CompressOptions,
  onProgress: (fraction: number) => void,
  signal: AbortSignal,
) => Promise<CompressResponse>;

export interface UploadQueueOptions {
  /** The API call; tests pass a fake. */
  compress?: CompressFn;
  /** Uploads in flight at once. */
  concurrency?: number;
}

export interface UploadSummary {
  done: number;
  failed: number;
  pending: number;
  bytesIn: number;
  bytesOut: number;
  /** Share saved over all finished files (0–1; negative if they grew). */
  saving: number;
}

/** The upload list: one request per file, at most `concurrency` at a time, retry on failure. */
export function useUploadQueue(queueOptions: UploadQueueOptions = {}) {
  const compress = queueOptions.compress ?? compressImage;
  const concurrency = Math.max(1, queueOptions.concurrency ?? 2);

  const items = ref<UploadItem[]>([]);
  /** The latest finished/failed file, in words, for the page's `aria-live` region. */
  const announcement = ref('');
  // Not reactive: they only let `remove()` cancel a request in flight.
  const controllers = new Map<number, AbortController>();
  let nextId = 1;

  const find = (id: number) => items.value.find((item) => item.id === id);
  const active = () => items.value.filter((i) => i.status === 'uploading' || i.status === 'processing');

  function add(files: Iterable<File>, options: CompressOptions): UploadItem[] {
    const added: UploadItem[] = [];
    for (const file of files) {
      added.push({
        id: nextId++,
        file,
        previewUrl: URL.createObjectURL(file),
        options: { ...options },
        status: 'queued',
        progress: 0,
        result: null,
        error: null,
      });
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
    item.result = null;

    const onProgress = (fraction: number) => {
      const current = find(id);
      if (!current || controller.signal.aborted || current.status !== 'uploading') return;
      current.progress = Math.min(1, Math.max(current.progress, fraction));
      // The body is sent; what remains is the server's work.
      if (current.progress >= 1) current.status = 'processing';
    };

    try {
      const response = await compress(item.file, item.options, onProgress, controller.signal);
      const current = find(id);
      if (!current || controller.signal.aborted) return;
      const result = response.files[0];
      if (!result) throw new Error('The server sent no result for this file.');
      current.status = 'done';
      current.progress = 1;
      current.result = result;
      announcement.value =
        `${current.file.name} compressed: ${formatBytes(result.bytesIn)} to ` +
        `${formatBytes(result.bytesOut)}, ${formatSaving(result.bytesIn, result.bytesOut)}.`;
    } catch (error) {
      const current = find(id);
      if (!current || controller.signal.aborted) return;
      current.status = 'error';
      current.error = toHttpError(error).message;
      announcement.value = `${current.file.name} failed: ${current.error}`;
    } finally {
      if (controllers.get(id) === controller) controllers.delete(id);
      pump();
    }
  }

  /** Sends a failed file again, with `options` if given (the form may have changed since). */
  function retry(id: number, options?: CompressOptions): void {
    const item = find(id);
    if (!item || item.status !== 'error') return;
    if (options) item.options = { ...options };
    item.status = 'queued';
    item.progress = 0;
    item.error = null;
    pump();
  }

  function release(item: UploadItem): void {
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

  const summary = computed<UploadSummary>(() => {
    let bytesIn = 0;
    let bytesOut = 0;
    let done = 0;
    let failed = 0;
    for (const item of items.value) {
      if (item.status === 'error') failed += 1;
      if (item.status !== 'done' || !item.result) continue;
      done += 1;
      bytesIn += item.result.bytesIn;
      bytesOut += item.result.bytesOut;
    }
    const pending = items.value.length - done - failed;
    return { done, failed, pending, bytesIn, bytesOut, saving: savingRatio(bytesIn, bytesOut) };
  });

  // Object URLs live until revoked; don't leak them when the owner goes away.
  if (getCurrentScope()) onScopeDispose(clear);

  return { items, summary, announcement, add, retry, remove, clear };
}

export type UploadQueue = ReturnType<typeof useUploadQueue>;
