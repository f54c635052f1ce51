import type { JobAccepted, JobEvent, JobStatus } from '@dlserve/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeEventSource } from '../testing/fake-event-source';
import { upscaledCat } from '../testing/helpers';
import { HttpError } from './http';
import { followJob } from './jobs';

const accepted: JobAccepted = { id: 'j1', status: '/api/jobs/j1', events: '/api/jobs/j1/events' };
const result = upscaledCat;

function status(overrides: Partial<JobStatus>): JobStatus {
  return { id: 'j1', model: 'esrgan', state: 'queued', position: 0, progress: 0, createdAt: '', ...overrides };
}

describe('followJob', () => {
  beforeEach(() => FakeEventSource.reset());
  afterEach(() => vi.useRealTimers());

  it('reports queued and progress events, resolves on done and closes the stream', async () => {
    const events: JobEvent[] = [];
    const promise = followJob(accepted, {
      signal: new AbortController().signal,
      onEvent: (event) => events.push(event),
      createEventSource: FakeEventSource.create,
    });
    const source = FakeEventSource.instances[0]!;
    expect(source.url).toBe('/api/jobs/j1/events');

    source.emit({ type: 'queued', position: 2 });
    source.emit({ type: 'running' });
    source.emit({ type: 'progress', progress: 0.25, tilesDone: 1, tilesTotal: 4 });
    source.emit({ type: 'done', result });

    await expect(promise).resolves.toEqual(result);
    expect(events.map((e) => e.type)).toEqual(['queued', 'running', 'progress']);
    expect(events[2]).toMatchObject({ progress: 0.25, tilesDone: 1, tilesTotal: 4 });
    expect(source.closed).toBe(true);
  });

  it("rejects with the API's error on failed, and closes the stream", async () => {
    const promise = followJob(accepted, {
      signal: new AbortController().signal,
      onEvent: () => undefined,
      createEventSource: FakeEventSource.create,
    });
    const source = FakeEventSource.instances[0]!;
    source.emit({
      type: 'failed',
      error: { statusCode: 500, error: 'inference_failed', message: 'The model ran out of memory.' },
    });

    const error = await promise.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ message: 'The model ran out of memory.', code: 'inference_failed' });
    expect(source.closed).toBe(true);
  });

  it('closes the stream and cancels the job on the server when aborted', async () => {
    const controller = new AbortController();
    const cancel = vi.fn(async () => undefined);
    const promise = followJob(accepted, {
      signal: controller.signal,
      onEvent: () => undefined,
      createEventSource: FakeEventSource.create,
      cancel,
    });
    controller.abort();
    await expect(promise).rejects.toMatchObject({ code: 'cancelled' });
    expect(FakeEventSource.instances[0]?.closed).toBe(true);
    expect(cancel).toHaveBeenCalledWith(accepted.status);
  });

  it('rejects as cancelled when the server says the job was cancelled', async () => {
    const promise = followJob(accepted, {
      signal: new AbortController().signal,
      onEvent: () => undefined,
      createEventSource: FakeEventSource.create,
    });
    FakeEventSource.instances[0]!.emit({ type: 'cancelled' });
    await expect(promise).rejects.toMatchObject({ code: 'cancelled', message: 'The job was cancelled on the server.' });
  });

  it('falls back to polling the status when the stream fails', async () => {
    vi.useFakeTimers();
    const answers = [status({ state: 'queued', position: 1 }), status({ state: 'running', progress: 0.5 }), status({ state: 'done', progress: 1, result })];
    const getStatus = vi.fn(async () => answers.shift()!);
    const events: JobEvent[] = [];
    const promise = followJob(accepted, {
      signal: new AbortController().signal,
      onEvent: (event) => events.push(event),
      createEventSource: FakeEventSource.create,
      getStatus,
      pollInterval: 500,
    });
    const source = FakeEventSource.instances[0]!;
    source.fail();
    expect(source.closed).toBe(true);

    await vi.advanceTimersByTimeAsync(1000);
    await expect(promise).resolves.toEqual(result);
    expect(getStatus).toHaveBeenCalledTimes(3);
    expect(getStatus).toHaveBeenCalledWith('/api/jobs/j1', expect.any(AbortSignal));
    expect(events).toEqual([
      { type: 'queued', position: 1 },
      { type: 'progress', progress: 0.5, tilesDone: 0, tilesTotal: 0 },
    ]);
  });

  it('polls when there is no EventSource, and reports a failed job', async () => {
    const getStatus = vi.fn(async () =>
      status({ state: 'failed', error: { statusCode: 415, error: 'not_an_image', message: 'a.txt is not an image.' } }),
    );
    const promise = followJob(accepted, {
      signal: new AbortController().signal,
      onEvent: () => undefined,
      createEventSource: null,
      getStatus,
    });
    await expect(promise).rejects.toMatchObject({ message: 'a.txt is not an image.', status: 415 });
  });

  it('gives up when the job is gone (404 while polling)', async () => {
    const getStatus = vi.fn(async () => {
      throw new HttpError('No such job.', 'not_found', 404);
    });
    const promise = followJob(accepted, {
      signal: new AbortController().signal,
      onEvent: () => undefined,
      createEventSource: null,
      getStatus,
    });
    await expect(promise).rejects.toMatchObject({ message: 'No such job.' });
    expect(getStatus).toHaveBeenCalledTimes(1);
  });
});
