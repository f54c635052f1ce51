import type { CompressResponse } from '@dlserve/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { compressImage } from './compress';
import { http } from './http';

const response: CompressResponse = {
  result: '/assets/abc.webp',
  files: [
    {
      name: 'cat.png',
      result: '/assets/abc.webp',
      format: 'webp',
      width: 10,
      height: 10,
      bytesIn: 1000,
      bytesOut: 200,
      ssim: 0.99,
      quality: 80,
      keptOriginal: false,
      ms: 12,
    },
  ],
};

describe('compressImage', () => {
  const originalAdapter = http.defaults.adapter;
  afterEach(() => {
    http.defaults.adapter = originalAdapter;
  });

  it('sends the file as the_file with the options as text fields', async () => {
    let sent: FormData | undefined;
    http.defaults.adapter = async (cfg) => {
      sent = cfg.data as FormData;
      return { status: 200, statusText: 'OK', data: response, headers: {}, config: cfg };
    };

    const body = await compressImage(new File(['x'], 'cat.png'), {
      format: 'webp',
      target: 0.99,
      maxWidth: 800,
    });

    expect(body).toEqual(response);
    expect(sent?.get('format')).toBe('webp');
    expect(sent?.get('target')).toBe('0.99');
    expect(sent?.get('maxWidth')).toBe('800');
    expect(sent?.has('maxHeight')).toBe(false);
    expect((sent?.get('the_file') as File).name).toBe('cat.png');
  });

  it('rejects an answer that is not a CompressResponse', async () => {
    http.defaults.adapter = async (cfg) => ({
      status: 200,
      statusText: 'OK',
      data: '<!doctype html><html></html>',
      headers: {},
      config: cfg,
    });

    await expect(compressImage(new File(['x'], 'cat.png'), {})).rejects.toThrow(/unexpected answer/);
  });
});
