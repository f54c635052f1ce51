import type { JobAccepted, JobStatus, ModelListResponse } from '@dlserve/shared';
import type { AxiosAdapter } from 'axios';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { modelSummary } from '../testing/helpers';
import { HttpError, http } from './http';
import { fetchExample, fileNameFromUrl, getJob, listModels, startModelJob } from './models';

const list: ModelListResponse = {
  defaultModel: 'esrgan-slim-x2',
  models: [
    modelSummary({
      name: 'esrgan-slim-x2',
      title: { en: 'ESRGAN slim ×2' },
      description: { en: 'Doubles width and height.' },
      licence: { name: 'Apache-2.0' },
      source: { url: 'https://example.org/esrgan' },
      examples: ['/api/models/esrgan-slim-x2/examples/cat.png'],
      scale: 2,
    }),
  ],
};

const accepted: JobAccepted = { id: 'j1', status: '/api/jobs/j1', events: '/api/jobs/j1/events' };

function answer(data: unknown, status = 200): AxiosAdapter {
  return vi.fn<AxiosAdapter>(async (cfg) => ({ status, statusText: '', data, headers: {}, config: cfg }));
}

describe('models API', () => {
  const originalAdapter = http.defaults.adapter;
  afterEach(() => {
    http.defaults.adapter = originalAdapter;
    vi.unstubAllGlobals();
  });

  it('lists the models', async () => {
    const adapter = answer(list);
    http.defaults.adapter = adapter;
    await expect(listModels()).resolves.toEqual(list);
    expect(vi.mocked(adapter).mock.calls[0]?.[0].url).toBe('/api/models');
  });

  it('rejects a list that is not a ModelListResponse', async () => {
    http.defaults.adapter = answer('<!doctype html>');
    await expect(listModels()).rejects.toThrow(/unexpected answer/);
  });

  it('starts an asynchronous job: one file as the_file, options as text fields', async () => {
    const adapter = answer(accepted, 202);
    http.defaults.adapter = adapter;
    const progress: number[] = [];

    const job = await startModelJob('esrgan slim', new File(['x'], 'cat.png'), { format: 'webp' }, (f) =>
      progress.push(f),
    );

    expect(job).toEqual(accepted);
    const cfg = vi.mocked(adapter).mock.calls[0]?.[0];
    expect(cfg?.method).toBe('post');
    expect(cfg?.url).toBe('/api/models/esrgan%20slim?async=1');
    const form = cfg?.data as FormData;
    expect(form.get('format')).toBe('webp');
    expect(form.has('topK')).toBe(false);
    expect((form.get('the_file') as File).name).toBe('cat.png');
  });

  it('sends topK for classification', async () => {
    const adapter = answer(accepted, 202);
    http.defaults.adapter = adapter;
    await startModelJob('mobilenet', new File(['x'], 'cat.png'), { topK: 3 });
    expect((vi.mocked(adapter).mock.calls[0]?.[0].data as FormData).get('topK')).toBe('3');
  });

  it('sends the OCR options as text fields, booleans as true/false', async () => {
    const adapter = answer(accepted, 202);
    http.defaults.adapter = adapter;
    await startModelJob('ppocr', new File(['x'], 'receipt.jpg'), {
      maxSide: 1280,
      detectionThreshold: 0.25,
      useDirection: false,
    });
    const form = vi.mocked(adapter).mock.calls[0]?.[0].data as FormData;
    expect(form.get('maxSide')).toBe('1280');
    expect(form.get('detectionThreshold')).toBe('0.25');
    expect(form.get('useDirection')).toBe('false');
    expect(form.has('boxThreshold')).toBe(false);
    expect(form.has('unclipRatio')).toBe(false);
  });

  it('rejects a 200 that is not a job (an old server answering synchronously)', async () => {
    http.defaults.adapter = answer({ task: 'image-to-image', files: [] });
    await expect(startModelJob('m', new File(['x'], 'a.png'), {})).rejects.toBeInstanceOf(HttpError);
  });

  it('reads a job status', async () => {
    const status: JobStatus = {
      id: 'j1',
      model: 'm',
      state: 'running',
      position: 0,
      progress: 0.5,
      createdAt: '2024-01-01T00:00:00Z',
    };
    const adapter = answer(status);
    http.defaults.adapter = adapter;
    await expect(getJob('/api/jobs/j1')).resolves.toEqual(status);
    expect(vi.mocked(adapter).mock.calls[0]?.[0].url).toBe('/api/jobs/j1');
  });

  it('fetches an example as a File named after its URL', async () => {
    const fetchMock = vi.fn(async () => new Response(new Blob(['png'], { type: 'image/png' }), { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);

    const file = await fetchExample('/api/models/m/examples/red%20cat.png');

    expect(fetchMock).toHaveBeenCalledWith('/api/models/m/examples/red%20cat.png', { signal: undefined, headers: {} });
    expect(file).toBeInstanceOf(File);
    expect(file.name).toBe('red cat.png');
    expect(file.type).toBe('image/png');
  });

  it('explains an example that cannot be fetched', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('nope', { status: 404 })));
    await expect(fetchExample('/x/cat.png')).rejects.toThrow(/HTTP 404/);
  });

  it('names files from URLs', () => {
    expect(fileNameFromUrl('/a/b/cat.jpg?v=2')).toBe('cat.jpg');
    expect(fileNameFromUrl('/a/b/')).toBe('example');
  });
});
