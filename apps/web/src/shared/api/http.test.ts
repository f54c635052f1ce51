import type { ApiError } from '@dlserve/shared';
import {
  AxiosError,
  AxiosHeaders,
  CanceledError,
  type AxiosAdapter,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HttpError, buildFormData, http, isApiError, toHttpError, upload } from './http';

function config(): InternalAxiosRequestConfig {
  return { headers: new AxiosHeaders() };
}

function errorWithResponse(status: number, data: unknown): AxiosError {
  const response: AxiosResponse = {
    status,
    statusText: '',
    data,
    headers: {},
    config: config(),
  };
  return new AxiosError('Request failed', 'ERR_BAD_REQUEST', config(), {}, response);
}

const apiError: ApiError = {
  statusCode: 415,
  error: 'not_an_image',
  message: 'notes.txt is not an image this service can read.',
  file: 'notes.txt',
};

describe('toHttpError', () => {
  it("shows the API's message when the body is an ApiError", () => {
    const error = toHttpError(errorWithResponse(415, apiError));
    expect(error).toBeInstanceOf(HttpError);
    expect(error.message).toBe(apiError.message);
    expect(error.code).toBe('not_an_image');
    expect(error.status).toBe(415);
    expect(error.body).toEqual(apiError);
  });

  it('explains a network failure', () => {
    const error = toHttpError(new AxiosError('Network Error', 'ERR_NETWORK', config()));
    expect(error.code).toBe('network');
    expect(error.message).toMatch(/could not reach the server/i);
  });

  it('explains a timeout', () => {
    const error = toHttpError(new AxiosError('timeout', 'ECONNABORTED', config()));
    expect(error.code).toBe('timeout');
    expect(error.message).toMatch(/too long/i);
  });

  it('falls back to the status when the body is not an ApiError (e.g. a proxy page)', () => {
    const html = '<html><body>413 Request Entity Too Large</body></html>';
    expect(toHttpError(errorWithResponse(413, html)).message).toMatch(/too large/i);
    expect(toHttpError(errorWithResponse(502, '')).message).toMatch(/unavailable.*502/i);
    expect(toHttpError(errorWithResponse(500, { message: 42 })).message).toMatch(/HTTP 500/);
  });

  it('reports cancellation and plain errors', () => {
    expect(toHttpError(new CanceledError()).code).toBe('cancelled');
    expect(toHttpError(new Error('boom')).message).toBe('boom');
    expect(toHttpError('weird').message).toMatch(/something went wrong/i);
  });

  it('recognises ApiError bodies', () => {
    expect(isApiError(apiError)).toBe(true);
    expect(isApiError({ statusCode: 400, error: 'no_file', message: '' })).toBe(false);
    expect(isApiError(null)).toBe(false);
    expect(isApiError('error')).toBe(false);
  });
});

describe('buildFormData', () => {
  it('puts text fields first, skips empty ones, and adds the file under its field', () => {
    const file = new File(['abc'], 'cat.png', { type: 'image/png' });
    const form = buildFormData({
      field: 'the_file',
      file,
      fields: { format: 'webp', target: 0.98, maxWidth: undefined, maxHeight: null },
    });
    const entries = [...form.entries()];
    expect(entries.map(([name]) => name)).toEqual(['format', 'target', 'the_file']);
    expect(form.get('target')).toBe('0.98');
    const sent = form.get('the_file');
    expect(sent).toBeInstanceOf(File);
    expect((sent as File).name).toBe('cat.png');
  });
});

describe('upload through the shared instance', () => {
  const originalAdapter = http.defaults.adapter;
  afterEach(() => {
    http.defaults.adapter = originalAdapter;
  });

  it('posts multipart, reports progress and returns the JSON body', async () => {
    const adapter = vi.fn<AxiosAdapter>(async (cfg) => {
      cfg.onUploadProgress?.({ loaded: 50, total: 100, progress: 0.5, bytes: 50, lengthComputable: true });
      cfg.onUploadProgress?.({ loaded: 100, total: 100, progress: 1, bytes: 50, lengthComputable: true });
      return { status: 200, statusText: 'OK', data: { ok: true }, headers: {}, config: cfg };
    });
    http.defaults.adapter = adapter;
    const progress: number[] = [];

    const body = await upload<{ ok: boolean }>('/api/compress', {
      field: 'the_file',
      file: new File(['x'], 'a.jpg'),
      onProgress: (fraction) => progress.push(fraction),
    });

    expect(body).toEqual({ ok: true });
    expect(progress).toEqual([0.5, 1]);
    const cfg = adapter.mock.calls[0]?.[0];
    expect(cfg?.method).toBe('post');
    expect(cfg?.url).toBe('/api/compress');
    expect(cfg?.data).toBeInstanceOf(FormData);
  });

  it('rejects with an HttpError carrying the API message', async () => {
    http.defaults.adapter = async (cfg) => {
      const response: AxiosResponse = { status: 422, statusText: '', data: { ...apiError, statusCode: 422, error: 'corrupt_image', message: 'The image is damaged.' }, headers: {}, config: cfg };
      throw new AxiosError('Request failed', 'ERR_BAD_REQUEST', cfg, {}, response);
    };

    const promise = upload('/api/compress', { field: 'the_file', file: new File(['x'], 'a.jpg') });
    await expect(promise).rejects.toBeInstanceOf(HttpError);
    await expect(promise).rejects.toMatchObject({ message: 'The image is damaged.', status: 422 });
  });
});
