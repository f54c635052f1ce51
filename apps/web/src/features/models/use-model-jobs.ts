import type { InferenceResponse, JobAccepted, JobEvent } from '@dlserve/shared';
import type { InjectionKey } from 'vue';
import { HttpError } from '../../shared/api/http';
import { followJob, type EventSourceFactory, type FollowJobOptions } from '../../shared/api/jobs';
import { startModelJob, type ModelRequestOptions } from '../../shared/api/models';
import { useTaskQueue, type TaskItem } from '../../shared/composables/use-task-queue';
import { appI18n } from '../../shared/i18n';
import { appFormat } from '../../shared/utils/use-format';
import type { TaskResult } from '../task-view';
import { describeResult, findTaskView } from '../tasks';

/** Which model a file goes to, and that model's options. */
export interface ModelJobRequest extends ModelRequestOptions {
  model: string;
}

/** The one file of a finished job, tagged with what kind of result it is. */
export type ModelResult = TaskResult;

/** Where a job is on the server, while the item is `processing`. */
export interface JobProgress {
  /** `null` until the server has accepted the upload. */
  state: 'queued' | 'running' | null;
  /** Jobs ahead of this one, while queued. */
  position: number;
  /** 0–1, or `null` while running without a measure yet. */
  progress: number | null;
  /** Tiles done (image-to-image), or text lines recognised (OCR). */
  tilesDone: number;
  tilesTotal: number;
}

export interface ModelJobItem extends TaskItem<ModelJobRequest, ModelResult> {
  job: JobProgress;
}

export type StartJobFn = (
  model: string,
  file: File,
  options: ModelRequestOptions,
  onProgress: (fraction: number) => void,
  signal: AbortSignal,
) => Promise<JobAccepted>;

export type FollowJobFn = (accepted: JobAccepted, options: FollowJobOptions) => Promise<InferenceResponse>;

export interface ModelJobsOptions {
  /** The API calls; tests pass fakes. */
  startJob?: StartJobFn;
  followJob?: FollowJobFn;
  /** Passed to `followJob`; tests pass a fake `EventSource`. */
  createEventSource?: EventSourceFactory | null;
  concurrency?: number;
}

export function initialJobProgress(): JobProgress {
  return { state: null, position: 0, progress: null, tilesDone: 0, tilesTotal: 0 };
}

/** Applies one server event to an item's job progress. */
export function applyJobEvent(job: JobProgress, event: JobEvent): void {
  switch (event.type) {
    case 'queued':
      job.state = 'queued';
      job.position = Math.max(0, event.position);
      job.progress = 0;
      break;
    case 'running':
      job.state = 'running';
      job.position = 0;
      job.progress = null;
      break;
    case 'progress':
      job.state = 'running';
      job.position = 0;
      job.progress = Math.min(1, Math.max(job.progress ?? 0, event.progress));
      if (event.tilesTotal > 0) {
        job.tilesDone = event.tilesDone;
        job.tilesTotal = event.tilesTotal;
      }
      break;
    default:
      break;
  }
}

/** The result for the one file sent, or an error a user can read. */
export function toModelResult(response: InferenceResponse): ModelResult {
  // A newer server may answer with a task this page does not know.
  if (!findTaskView(response.task)) {
    throw new HttpError('This page cannot show this kind of result yet.', 'unknown_result');
  }
  const file = response.files[0];
  if (!file) throw new HttpError('The server sent no result for this file.', 'no_result');
  // Each response's files are its task's (the contract says so); TypeScript cannot follow the pairing.
  return { task: response.task, file } as ModelResult;
}

/**
 * Files sent to models, each as an asynchronous job: the upload (with progress), then the job's
 * events (queue position, tiles done) until its result or its error.
 */
export function useModelJobs(options: ModelJobsOptions = {}) {
  const start = options.startJob ?? startModelJob;
  const follow = options.followJob ?? followJob;

  const queue = useTaskQueue<ModelJobItem, ModelJobRequest, ModelResult>({
    concurrency: options.concurrency,
    create: (base) => ({ ...base, job: initialJobProgress() }),
    reset: (item) => {
      item.job = initialJobProgress();
    },
    async run(item, { signal, onUploadProgress, update }) {
      const { model, ...request } = item.options;
      const accepted = await start(model, item.file, request, onUploadProgress, signal);
      update((current) => {
        current.status = 'processing';
        current.progress = 1;
        current.job.state = 'queued';
      });
      const response = await follow(accepted, {
        signal,
        onEvent: (event) => update((current) => applyJobEvent(current.job, event)),
        ...(options.createEventSource === undefined ? {} : { createEventSource: options.createEventSource }),
      });
      return toModelResult(response);
    },
    describeDone: (item, result) => describeResult({ t: appI18n().t, format: appFormat() }, item.file.name, result),
  });

  return queue;
}

export type ModelJobs = ReturnType<typeof useModelJobs>;

/** How far a file is in its current phase (the upload, then the job), `null` when unknown: for announcements. */
export function modelJobProgress(item: ModelJobItem): number | null {
  if (item.status === 'uploading') return item.progress;
  return item.status === 'processing' ? item.job.progress : null;
}

/** The app's one model list of jobs, provided by the shell so it outlives the model pages. */
export const modelJobsKey: InjectionKey<ModelJobs> = Symbol('model jobs');
