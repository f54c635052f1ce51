import type { CompressOptions, CompressResponse, CompressedFile } from '@dlserve/shared';
import { computed, type InjectionKey } from 'vue';
import { compressImage } from '../../shared/api/compress';
import { useTaskQueue, type TaskItem, type TaskStatus } from '../../shared/composables/use-task-queue';
import { HttpError } from '../../shared/api/http';
import { appI18n } from '../../shared/i18n';
import { savingRatio } from '../../shared/utils/format';
import { appFormat } from '../../shared/utils/use-format';

export type UploadStatus = TaskStatus;

export type UploadItem = TaskItem<CompressOptions, CompressedFile>;

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

/** The compression list: one request per file, at most `concurrency` at a time, retry on failure. */
export function useUploadQueue(queueOptions: UploadQueueOptions = {}) {
  const compress = queueOptions.compress ?? compressImage;

  const { items, announcement, add, retry, remove, clear } = useTaskQueue<
    UploadItem,
    CompressOptions,
    CompressedFile
  >({
    concurrency: queueOptions.concurrency,
    create: (base) => base,
    async run(item, { signal, onUploadProgress }) {
      const response = await compress(item.file, item.options, onUploadProgress, signal);
      const result = response.files[0];
      if (!result) throw new HttpError('The server sent no result for this file.', 'no_result');
      return result;
    },
    describeDone: (item, result) => {
      const format = appFormat();
      return appI18n().t('compress.done', {
        name: item.file.name,
        from: format.bytes(result.bytesIn),
        to: format.bytes(result.bytesOut),
        saving: format.saving(result.bytesIn, result.bytesOut),
      });
    },
  });

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

  return { items, summary, announcement, add, retry, remove, clear };
}

export type UploadQueue = ReturnType<typeof useUploadQueue>;

/** The app's one compression list, provided by the shell so it outlives the compress page. */
export const uploadQueueKey: InjectionKey<UploadQueue> = Symbol('upload queue');
