import type { ApiError, InferenceResponse, JobAccepted, JobEvent, JobStatus } from '@dlserve/shared';
import { HttpError, isApiError, toHttpError } from './http';
import { cancelJob, getJob } from './models';
import { apiKey } from './api-key';

/** The part of `EventSource` used here, so tests can pass a fake. */
export interface EventSourceLike {
  readonly readyState: number;
  onerror: ((event: Event) => void) | null;
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

export type EventSourceFactory = (url: string) => EventSourceLike;

export interface FollowJobOptions {
  signal: AbortSignal;
  /** Every queued/running/progress step, in order. */
  onEvent: (event: JobEvent) => void;
  /** `null` when the browser has none: then the job is polled. */
  createEventSource?: EventSourceFactory | null;
  getStatus?: (statusUrl: string, signal: AbortSignal) => Promise<JobStatus>;
  /** Tells the server a job is no longer wanted, when `signal` aborts. */
  cancel?: (statusUrl: string) => Promise<void>;
  /** Polling interval in ms, used when the event stream fails. */
  pollInterval?: number;
}

const EVENT_TYPES = ['queued', 'running', 'progress', 'done', 'failed', 'cancelled'] as const;
/** Consecutive failed polls before giving up (a restart of the API, a flaky network). */
const MAX_POLL_FAILURES = 5;

function defaultEventSource(): EventSourceFactory | null {
  // An EventSource cannot send the API key's header: with a key, the job is polled instead.
  if (apiKey.value) return null;
  return typeof EventSource === 'function' ? (url) => new EventSource(url) : null;
}

function jobError(error: ApiError | undefined): HttpError {
  if (error && isApiError(error)) return new HttpError(error.message, error.error, error.statusCode, error);
  return new HttpError('Processing failed on the server.', 'inference_failed');
}

function parseEvent(type: string, data: string): JobEvent | null {
  try {
    const parsed: unknown = JSON.parse(data);
    if (typeof parsed !== 'object' || parsed === null) return null;
    // The event name is the type; trust it over a missing or stale `type` in the data.
    return { ...(parsed as object), type } as JobEvent;
  } catch {
    return null;
  }
}

/** A polled status as the event it corresponds to. */
function statusEvent(status: JobStatus): JobEvent {
  switch (status.state) {
    case 'queued':
      return { type: 'queued', position: status.position };
    case 'running':
      // Polling knows the fraction but not the tiles.
      return { type: 'progress', progress: status.progress, tilesDone: 0, tilesTotal: 0 };
    case 'done':
      if (status.result) return { type: 'done', result: status.result };
      return { type: 'failed', error: { statusCode: 500, error: 'internal_error', message: 'The job finished without a result.' } };
    case 'failed':
      return { type: 'failed', error: status.error ?? { statusCode: 500, error: 'inference_failed', message: 'Processing failed on the server.' } };
    case 'cancelled':
      return { type: 'cancelled' };
  }
}

/**
 * Follows a job to its end: its Server-Sent Events while they flow, polling its status if the
 * stream cannot be opened or breaks. Resolves with the result, rejects with an `HttpError` carrying
 * the API's message, and closes the stream (and stops polling) on done, failure or abort.
 */
export function followJob(accepted: JobAccepted, options: FollowJobOptions): Promise<InferenceResponse> {
  const { signal, onEvent } = options;
  const createEventSource =
    options.createEventSource === undefined ? defaultEventSource() : options.createEventSource;
  const getStatus = options.getStatus ?? getJob;
  const cancel = options.cancel ?? cancelJob;
  const pollInterval = options.pollInterval ?? 1000;

  return new Promise<InferenceResponse>((resolve, reject) => {
    let source: EventSourceLike | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let pollFailures = 0;
    let finished = false;

    function cleanUp(): void {
      finished = true;
      source?.close();
      source = null;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      signal.removeEventListener('abort', onAbort);
    }

    function handle(event: JobEvent): void {
      if (finished) return;
      if (event.type === 'done') {
        cleanUp();
        resolve(event.result);
      } else if (event.type === 'failed') {
        cleanUp();
        reject(jobError(event.error));
      } else if (event.type === 'cancelled') {
        cleanUp();
        reject(new HttpError('The job was cancelled on the server.', 'cancelled'));
      } else {
        onEvent(event);
      }
    }

    function onAbort(): void {
      if (finished) return;
      cleanUp();
      // Nobody waits for the result any more: the server drops the job's work too.
      cancel(accepted.status).catch(() => {});
      reject(new HttpError('The job was cancelled.', 'cancelled'));
    }

    async function poll(): Promise<void> {
      timer = null;
      if (finished) return;
      try {
        const status = await getStatus(accepted.status, signal);
        pollFailures = 0;
        handle(statusEvent(status));
      } catch (error) {
        if (finished) return;
        const httpError = toHttpError(error);
        pollFailures += 1;
        // A 4xx (the job is gone) will not get better; a network blip might.
        const permanent = httpError.status !== null && httpError.status < 500;
        if (permanent || pollFailures >= MAX_POLL_FAILURES) {
          cleanUp();
          reject(httpError);
          return;
        }
      }
      if (!finished) timer = setTimeout(() => void poll(), pollInterval);
    }

    function fallBackToPolling(): void {
      source?.close();
      source = null;
      if (!finished && timer === null) void poll();
    }

    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort);

    if (!createEventSource) {
      void poll();
      return;
    }
    try {
      source = createEventSource(accepted.events);
    } catch {
      void poll();
      return;
    }
    for (const type of EVENT_TYPES) {
      source.addEventListener(type, (message) => {
        const event = parseEvent(type, message.data);
        if (event) handle(event);
      });
    }
    // EventSource would reconnect on its own, but a job's state is cheap to poll and polling
    // can't miss the end; so any stream error switches to it for the rest of the job.
    source.onerror = () => fallBackToPolling();
  });
}
