import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { InferenceResponse, JobAccepted, JobEvent, JobStatus } from '@dlserve/shared';
import { randomUUID } from 'node:crypto';
import { concat, defer, Observable, of, Subject } from 'rxjs';
import { toAppError } from '../platform/http/api-exception.filter.js';
import { AppError } from '../platform/errors/app-error.js';
import { AppConfig } from '../platform/config/app-config.js';
import type { InferOptions } from '../serving/dataplane.js';

type FinalEvent = Extract<JobEvent, { type: 'done' | 'failed' | 'cancelled' }>;

interface Job {
  status: JobStatus;
  events: Subject<JobEvent>;
  /** The latest progress event, replayed to whoever starts following mid-way. */
  lastProgress?: Extract<JobEvent, { type: 'progress' }>;
  cancel: AbortController;
  /** Settles when the job's work has, whichever way. */
  settled: Promise<void>;
  expiry?: NodeJS.Timeout;
}

/**
 * Long work answered at once: a job runs in the background, its state can be read and its
 * progress followed as events, and it can be cancelled; a finished job is kept for
 * `JOB_TTL_SECONDS`, then forgotten.
 */
@Injectable()
export class JobsService implements OnApplicationShutdown {
  private readonly jobs = new Map<string, Job>();

  constructor(private readonly config: AppConfig) {}

  /** Starts `work` as a job of `model`; answers where to follow it. */
  start(model: string, work: (options: InferOptions & { signal: AbortSignal }) => Promise<InferenceResponse>): JobAccepted {
    const id = randomUUID();
    const cancel = new AbortController();
    const job: Job = {
      status: { id, model, state: 'queued', position: 0, progress: 0, createdAt: new Date().toISOString() },
      events: new Subject<JobEvent>(),
      cancel,
      settled: Promise.resolve(),
    };
    this.jobs.set(id, job);
    const options: InferOptions & { signal: AbortSignal } = {
      signal: cancel.signal,
      onQueued: (position) => {
        if (job.status.state !== 'queued') return; // a later file or part waiting is not the job waiting
        job.status.position = position;
        job.events.next({ type: 'queued', position });
      },
      onStart: () => {
        if (job.status.state === 'running') return;
        job.status.state = 'running';
        job.status.position = 0;
        job.events.next({ type: 'running' });
      },
      onProgress: (progress, tiles) => {
        job.status.progress = progress;
        job.lastProgress = { type: 'progress', progress, ...tiles };
        job.events.next(job.lastProgress);
      },
    };
    job.settled = work(options).then(
      (result) => this.finish(job, { type: 'done', result }),
      (error: unknown) => this.finish(job, cancel.signal.aborted ? { type: 'cancelled' } : { type: 'failed', error: toAppError(error).toBody() }),
    );
    return { id, status: `/api/jobs/${id}`, events: `/api/jobs/${id}/events` };
  }

  status(id: string): JobStatus {
    return this.find(id).status;
  }

  /**
   * Cancels a job that has not finished: its queued work is dropped, its running work stops at
   * the next tile or batch, and what it saved is removed. Answers its status once it has stopped;
   * a finished job is left as it is.
   */
  async cancel(id: string): Promise<JobStatus> {
    const job = this.find(id);
    job.cancel.abort(new AppError('cancelled', 'The job was cancelled.'));
    await job.settled;
    return job.status;
  }

  /**
   * The job's events: first where it stands when the stream is subscribed to, then what happens,
   * ending with done, failed or cancelled. Deferred, so no event can fall between the two.
   */
  events(id: string): Observable<JobEvent> {
    const job = this.find(id);
    return defer(() => {
      const { status } = job;
      switch (status.state) {
        case 'done':
          return of<JobEvent>({ type: 'done', result: status.result! });
        case 'failed':
          return of<JobEvent>({ type: 'failed', error: status.error! });
        case 'cancelled':
          return of<JobEvent>({ type: 'cancelled' });
        case 'queued':
          return concat(of<JobEvent>({ type: 'queued', position: status.position }), job.events);
        case 'running': {
          const now: JobEvent[] = [{ type: 'running' }, ...(job.lastProgress ? [job.lastProgress] : [])];
          return concat(of(...now), job.events);
        }
      }
    });
  }

  /** Jobs queued or running. */
  get unfinished(): number {
    return [...this.jobs.values()].filter((job) => job.status.state === 'queued' || job.status.state === 'running').length;
  }

  /** Resolves once no job is queued or running (jobs started meanwhile included): a shutdown's wait. */
  async drain(): Promise<void> {
    for (;;) {
      const running = [...this.jobs.values()].filter((job) => job.status.state === 'queued' || job.status.state === 'running');
      if (running.length === 0) return;
      await Promise.all(running.map((job) => job.settled));
    }
  }

  onApplicationShutdown(): void {
    for (const job of this.jobs.values()) {
      clearTimeout(job.expiry);
      job.cancel.abort();
      job.events.complete();
    }
    this.jobs.clear();
  }

  private finish(job: Job, event: FinalEvent): void {
    const { status } = job;
    status.finishedAt = new Date().toISOString();
    status.position = 0;
    status.state = event.type;
    if (event.type === 'done') {
      status.progress = 1;
      status.result = event.result;
    } else if (event.type === 'failed') {
      status.error = event.error;
    }
    job.events.next(event);
    job.events.complete();
    job.expiry = setTimeout(() => this.jobs.delete(status.id), this.config.jobTtlMs);
    job.expiry.unref();
  }

  private find(id: string): Job {
    const job = this.jobs.get(id);
    if (!job) throw new AppError('not_found', `There is no job '${id}' (finished jobs are kept for ${this.config.jobTtlMs / 1000} s).`);
    return job;
  }
}
