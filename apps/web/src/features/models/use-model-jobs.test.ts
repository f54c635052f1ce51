import type { ClassificationResponse, JobAccepted, OcrResponse } from '@dlserve/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { effectScope } from 'vue';
import { FakeEventSource } from '../../shared/testing/fake-event-source';
import { fakeFile as file, flush, stubObjectUrls, upscaledCat } from '../../shared/testing/helpers';
import { useModelJobs, type StartJobFn } from './use-model-jobs';

interface Start {
  model: string;
  file: File;
  options: object;
  progress: (fraction: number) => void;
  signal: AbortSignal;
  resolve: (accepted: JobAccepted) => void;
  reject: (error: unknown) => void;
}

const upscaled = upscaledCat;

describe('useModelJobs', () => {
  let scope: ReturnType<typeof effectScope>;

  beforeEach(() => {
    scope = effectScope();
    FakeEventSource.reset();
    stubObjectUrls();
  });

  afterEach(() => {
    scope.stop();
    vi.restoreAllMocks();
  });

  function setup() {
    const starts: Start[] = [];
    const startJob: StartJobFn = (model, f, options, progress, signal) =>
      new Promise<JobAccepted>((resolve, reject) => {
        starts.push({ model, file: f, options, progress, signal, resolve, reject });
      });
    const jobs = scope.run(() => useModelJobs({ startJob, createEventSource: FakeEventSource.create }));
    if (!jobs) throw new Error('no queue');
    return { starts, jobs };
  }

  async function accept(start: Start | undefined, id: string): Promise<FakeEventSource> {
    start?.resolve({ id, status: `/api/jobs/${id}`, events: `/api/jobs/${id}/events` });
    await flush();
    const source = FakeEventSource.instances.find((s) => s.url === `/api/jobs/${id}/events`);
    if (!source) throw new Error(`no event source for ${id}`);
    return source;
  }

  it('uploads, then follows the job: queued → progress → done, and closes the stream', async () => {
    const { starts, jobs } = setup();
    jobs.add([file('cat.png')], { model: 'esrgan', format: 'webp' });
    const item = () => jobs.items.value[0]!;

    expect(starts[0]?.model).toBe('esrgan');
    expect(starts[0]?.options).toEqual({ format: 'webp' });
    expect(item().status).toBe('uploading');
    starts[0]?.progress(0.5);
    expect(item().progress).toBe(0.5);
    starts[0]?.progress(1);
    expect(item().status).toBe('processing');
    expect(item().job.state).toBeNull();

    const source = await accept(starts[0], 'j1');
    expect(item().job.state).toBe('queued');

    source.emit({ type: 'queued', position: 3 });
    expect(item().job).toMatchObject({ state: 'queued', position: 3, progress: 0 });

    source.emit({ type: 'running' });
    expect(item().job).toMatchObject({ state: 'running', position: 0, progress: null });

    source.emit({ type: 'progress', progress: 0.5, tilesDone: 8, tilesTotal: 16 });
    expect(item().job).toMatchObject({ progress: 0.5, tilesDone: 8, tilesTotal: 16 });

    source.emit({ type: 'done', result: upscaled });
    await flush();
    expect(item().status).toBe('done');
    expect(item().result).toEqual({ task: 'image-to-image', file: upscaled.files[0] });
    expect(source.closed).toBe(true);
    expect(jobs.announcement.value).toBe('cat.png done: 400 × 300 to 800 × 600.');
  });

  it("shows the API's message when the job fails, closes the stream, and retries", async () => {
    const { starts, jobs } = setup();
    jobs.add([file('notes.png')], { model: 'esrgan' });
    const source = await accept(starts[0], 'j1');

    source.emit({
      type: 'failed',
      error: { statusCode: 415, error: 'not_an_image', message: 'notes.png is not an image.' },
    });
    await flush();

    expect(jobs.items.value[0]?.status).toBe('error');
    expect(jobs.items.value[0]?.error).toBe('notes.png is not an image.');
    expect(source.closed).toBe(true);

    jobs.retry(jobs.items.value[0]!.id);
    expect(starts).toHaveLength(2);
    expect(jobs.items.value[0]?.status).toBe('uploading');
    expect(jobs.items.value[0]?.job.state).toBeNull();
  });

  it('returns classification results', async () => {
    const { starts, jobs } = setup();
    jobs.add([file('cat.png')], { model: 'mobilenet', topK: 2 });
    const source = await accept(starts[0], 'j1');
    const response: ClassificationResponse = {
      task: 'image-classification',
      model: 'mobilenet',
      files: [{ name: 'cat.png', ms: 40, labels: [{ label: 'tabby', index: 281, score: 0.2 }, { label: 'tiger cat', index: 282, score: 0.7 }] }],
    };
    source.emit({ type: 'done', result: response });
    await flush();
    expect(jobs.items.value[0]?.result).toEqual({ task: 'image-classification', file: response.files[0] });
    expect(jobs.announcement.value).toBe('cat.png: tiger cat, 70%.');
  });

  it('returns OCR results, with OCR options sent and lines counted as they are recognised', async () => {
    const { starts, jobs } = setup();
    jobs.add([file('receipt.png')], { model: 'ppocr', maxSide: 1280, useDirection: false });
    expect(starts[0]?.options).toEqual({ maxSide: 1280, useDirection: false });
    const source = await accept(starts[0], 'j1');

    source.emit({ type: 'progress', progress: 0.25, tilesDone: 1, tilesTotal: 4 });
    expect(jobs.items.value[0]?.job).toMatchObject({ progress: 0.25, tilesDone: 1, tilesTotal: 4 });

    const response: OcrResponse = {
      task: 'ocr',
      model: 'ppocr',
      result: '/assets/o.png',
      files: [
        {
          name: 'receipt.png',
          text: 'a\nb',
          lines: [
            { text: 'a', confidence: 0.9, box: [[0, 0], [1, 0], [1, 1], [0, 1]] },
            { text: 'b', confidence: 0.9, box: [[0, 2], [1, 2], [1, 3], [0, 3]] },
          ],
          result: '/assets/o.png',
          width: 10,
          height: 10,
          timings: { detectMs: 1, directionMs: 1, recogniseMs: 1, totalMs: 3 },
          ms: 4,
        },
      ],
    };
    source.emit({ type: 'done', result: response });
    await flush();
    expect(jobs.items.value[0]?.result).toEqual({ task: 'ocr', file: response.files[0] });
    expect(jobs.announcement.value).toBe('receipt.png: 2 lines of text recognised.');
  });

  it('removing a card cancels its upload, or closes its stream', async () => {
    const { starts, jobs } = setup();
    const [first, second] = jobs.add([file('1.png'), file('2.png')], { model: 'esrgan' });
    const source = await accept(starts[1], 'j2');

    jobs.remove(first!.id);
    expect(starts[0]?.signal.aborted).toBe(true);

    jobs.remove(second!.id);
    expect(source.closed).toBe(true);
    expect(jobs.items.value).toHaveLength(0);
  });

  it('runs at most two jobs at once; the next starts when one finishes', async () => {
    const { starts, jobs } = setup();
    jobs.add([file('1.png'), file('2.png'), file('3.png')], { model: 'esrgan' });
    expect(starts).toHaveLength(2);
    expect(jobs.items.value[2]?.status).toBe('queued');

    const source = await accept(starts[0], 'j1');
    // Still holding its slot while the server works on it.
    expect(starts).toHaveLength(2);
    source.emit({ type: 'done', result: upscaled });
    await flush();
    expect(starts).toHaveLength(3);
    expect(starts[2]?.file.name).toBe('3.png');
  });

  it('treats a done job without files as a failure', async () => {
    const { starts, jobs } = setup();
    jobs.add([file('cat.png')], { model: 'esrgan' });
    const source = await accept(starts[0], 'j1');
    source.emit({ type: 'done', result: { ...upscaled, files: [] } });
    await flush();
    expect(jobs.items.value[0]?.status).toBe('error');
    expect(jobs.items.value[0]?.error).toMatch(/no result/i);
  });
});
