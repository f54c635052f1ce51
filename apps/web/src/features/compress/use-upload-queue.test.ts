import type { CompressOptions, CompressResponse, CompressedFile } from '@dlserve/shared';
import { AxiosError, AxiosHeaders, type AxiosResponse } from 'axios';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { effectScope } from 'vue';
import { toHttpError } from '../../shared/api/http';
import { createAppI18n } from '../../shared/i18n';
import { fakeFile, flush, stubObjectUrls } from '../../shared/testing/helpers';
import { useUploadQueue, type CompressFn } from './use-upload-queue';

/** One call to the fake API, which the test finishes by hand. */
interface Call {
  file: File;
  options: CompressOptions;
  progress: (fraction: number) => void;
  signal: AbortSignal;
  resolve: (response: CompressResponse) => void;
  reject: (error: unknown) => void;
}

function fakeApi() {
  const calls: Call[] = [];
  const compress: CompressFn = (file, options, progress, signal) =>
    new Promise<CompressResponse>((resolve, reject) => {
      calls.push({ file, options, progress, signal, resolve, reject });
    });
  return { calls, compress };
}

function resultFor(name: string, bytesIn = 1000, bytesOut = 250): CompressResponse {
  const file: CompressedFile = {
    name,
    result: `/assets/${name}.webp`,
    format: 'webp',
    width: 640,
    height: 480,
    bytesIn,
    bytesOut,
    ssim: 0.9861,
    quality: 74,
    keptOriginal: false,
    ms: 420,
  };
  return { result: file.result, files: [file] };
}

function apiFailure(status: number, message: string): AxiosError {
  const config = { headers: new AxiosHeaders() };
  const response: AxiosResponse = {
    status,
    statusText: '',
    data: { statusCode: status, error: 'corrupt_image', message },
    headers: {},
    config,
  };
  // What the shared axios instance rejects with, as `compressImage` would.
  return new AxiosError('Request failed', 'ERR_BAD_REQUEST', config, {}, response);
}

const file = (name: string) => fakeFile(name, 'image/jpeg');

describe('useUploadQueue', () => {
  let scope: ReturnType<typeof effectScope>;

  beforeEach(() => {
    scope = effectScope();
    stubObjectUrls();
  });

  afterEach(() => {
    scope.stop();
    vi.restoreAllMocks();
  });

  function setup() {
    const api = fakeApi();
    const queue = scope.run(() => useUploadQueue({ compress: api.compress }));
    if (!queue) throw new Error('no queue');
    return { ...api, queue };
  }

  it('goes uploading → processing → done, with progress and an announcement', async () => {
    const { calls, queue } = setup();
    const [item] = queue.add([file('a.jpg')], { format: 'webp', target: 0.98 });

    expect(item?.previewUrl).toBe('blob:test/1');
    expect(queue.items.value[0]?.status).toBe('uploading');
    expect(calls[0]?.options).toEqual({ format: 'webp', target: 0.98 });

    calls[0]?.progress(0.4);
    expect(queue.items.value[0]?.progress).toBe(0.4);
    expect(queue.items.value[0]?.status).toBe('uploading');

    calls[0]?.progress(1);
    expect(queue.items.value[0]?.status).toBe('processing');

    calls[0]?.resolve(resultFor('a.jpg'));
    await flush();

    const done = queue.items.value[0];
    expect(done?.status).toBe('done');
    expect(done?.result?.bytesOut).toBe(250);
    expect(queue.announcement.value).toBe('a.jpg compressed: 1 kB to 250 B, 75% smaller.');
    expect(queue.summary.value).toMatchObject({ done: 1, bytesIn: 1000, bytesOut: 250, saving: 0.75 });
  });

  it('announces a finished and a failed file in Chinese, the error by its code', async () => {
    const i18n = createAppI18n('zh');
    try {
      const { calls, queue } = setup();
      queue.add([file('a.jpg'), file('broken.jpg')], {});
      calls[0]?.resolve(resultFor('a.jpg'));
      await flush();
      expect(queue.announcement.value).toBe('a.jpg 压缩完成：1 kB 变为 250 B，小了 75%。');
      calls[1]?.reject(toHttpError(apiFailure(422, 'broken.jpg could not be decoded.')));
      await flush();
      expect(queue.items.value[1]?.error).toBe('图片已损坏，无法解码。');
      expect(queue.announcement.value).toBe('broken.jpg 处理失败：图片已损坏，无法解码。');
    } finally {
      i18n.global.locale.value = 'en';
    }
  });

  it("shows the API's message on failure, and retries with new options", async () => {
    const { calls, queue } = setup();
    queue.add([file('broken.jpg')], { format: 'auto' });

    calls[0]?.reject(toHttpError(apiFailure(422, 'broken.jpg could not be decoded.')));
    await flush();

    const failed = queue.items.value[0];
    expect(failed?.status).toBe('error');
    expect(failed?.error).toBe('broken.jpg could not be decoded.');
    expect(queue.announcement.value).toBe('broken.jpg failed: broken.jpg could not be decoded.');
    expect(queue.summary.value.failed).toBe(1);

    queue.retry(failed!.id, { format: 'png' });
    expect(queue.items.value[0]?.status).toBe('uploading');
    expect(queue.items.value[0]?.error).toBeNull();
    expect(calls).toHaveLength(2);
    expect(calls[1]?.options).toEqual({ format: 'png' });

    calls[1]?.resolve(resultFor('broken.jpg'));
    await flush();
    expect(queue.items.value[0]?.status).toBe('done');
  });

  it('explains raw errors too (a network failure)', async () => {
    const { calls, queue } = setup();
    queue.add([file('a.jpg')], {});
    calls[0]?.reject(new AxiosError('Network Error', 'ERR_NETWORK'));
    await flush();
    expect(queue.items.value[0]?.error).toMatch(/could not reach the server/i);
  });

  it('treats an answer without files as a failure', async () => {
    const { calls, queue } = setup();
    queue.add([file('a.jpg')], {});
    calls[0]?.resolve({ result: '', files: [] });
    await flush();
    expect(queue.items.value[0]?.status).toBe('error');
    expect(queue.items.value[0]?.error).toMatch(/no result/i);
  });

  it('uploads at most two files at once', async () => {
    const { calls, queue } = setup();
    queue.add([file('1.jpg'), file('2.jpg'), file('3.jpg'), file('4.jpg'), file('5.jpg')], {});

    expect(calls.map((c) => c.file.name)).toEqual(['1.jpg', '2.jpg']);
    expect(queue.items.value.map((i) => i.status)).toEqual([
      'uploading',
      'uploading',
      'queued',
      'queued',
      'queued',
    ]);

    // Processing still holds a slot: the request is open until the server answers.
    calls[0]?.progress(1);
    expect(calls).toHaveLength(2);

    calls[0]?.resolve(resultFor('1.jpg'));
    await flush();
    expect(calls.map((c) => c.file.name)).toEqual(['1.jpg', '2.jpg', '3.jpg']);

    calls[1]?.reject(new Error('nope'));
    calls[2]?.resolve(resultFor('3.jpg'));
    await flush();
    expect(calls).toHaveLength(5);
    const inFlight = queue.items.value.filter((i) => ['uploading', 'processing'].includes(i.status));
    expect(inFlight).toHaveLength(2);
    expect(queue.summary.value).toMatchObject({ done: 2, failed: 1, pending: 2 });
  });

  it('a retried file waits for a free slot', async () => {
    const { calls, queue } = setup();
    queue.add([file('1.jpg'), file('2.jpg'), file('3.jpg')], {});
    calls[0]?.reject(new Error('nope'));
    await flush();
    // 2.jpg and 3.jpg now hold both slots.
    expect(calls).toHaveLength(3);

    queue.retry(queue.items.value[0]!.id);
    expect(queue.items.value[0]?.status).toBe('queued');
    expect(calls).toHaveLength(3);

    calls[1]?.resolve(resultFor('2.jpg'));
    await flush();
    expect(calls).toHaveLength(4);
    expect(calls[3]?.file.name).toBe('1.jpg');
  });

  it('remove() cancels the request, revokes the preview and ignores a late answer', async () => {
    const { calls, queue } = setup();
    const [first] = queue.add([file('1.jpg'), file('2.jpg'), file('3.jpg')], {});

    queue.remove(first!.id);
    expect(calls[0]?.signal.aborted).toBe(true);
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:test/1');
    expect(queue.items.value.map((i) => i.file.name)).toEqual(['2.jpg', '3.jpg']);
    // Its slot went to the next file straight away.
    expect(calls.map((c) => c.file.name)).toEqual(['1.jpg', '2.jpg', '3.jpg']);

    calls[0]?.resolve(resultFor('1.jpg'));
    await flush();
    expect(queue.items.value).toHaveLength(2);
    expect(queue.announcement.value).toBe('');
  });

  it('clear() empties the list and revokes every object URL; so does disposing the scope', () => {
    const { calls, queue } = setup();
    queue.add([file('1.jpg'), file('2.jpg'), file('3.jpg')], {});
    queue.clear();
    expect(queue.items.value).toHaveLength(0);
    expect(URL.revokeObjectURL).toHaveBeenCalledTimes(3);
    expect(calls.every((c) => c.signal.aborted)).toBe(true);

    queue.add([file('4.jpg')], {});
    scope.stop();
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:test/4');
  });
});
