import { DEFAULT_SSIM_TARGET } from '@dlserve/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { effectScope, nextTick } from 'vue';
import { defaultOptions, toCompressOptions, useCompressOptions } from './use-compress-options';

describe('toCompressOptions', () => {
  it('sends the defaults without size limits', () => {
    expect(toCompressOptions(defaultOptions())).toEqual({ format: 'auto', target: DEFAULT_SSIM_TARGET });
  });

  it('clamps the target and keeps only positive whole sizes', () => {
    expect(toCompressOptions({ format: 'avif', target: 0.5, maxWidth: 800.7, maxHeight: 0 })).toEqual({
      format: 'avif',
      target: 0.9,
      maxWidth: 800,
    });
    expect(toCompressOptions({ format: 'png', target: 1, maxWidth: null, maxHeight: 600 })).toEqual({
      format: 'png',
      target: 0.999,
      maxHeight: 600,
    });
  });
});

describe('useCompressOptions', () => {
  afterEach(() => localStorage.clear());

  it('remembers the form across visits and ignores malformed storage', async () => {
    const scope = effectScope();
    const first = scope.run(() => useCompressOptions());
    first!.form.value = { format: 'webp', target: 0.99, maxWidth: 1024, maxHeight: null };
    await nextTick();
    scope.stop();

    const second = effectScope().run(() => useCompressOptions());
    expect(second!.options.value).toEqual({ format: 'webp', target: 0.99, maxWidth: 1024 });

    localStorage.setItem('dlserve.compress-options', '{"format":"bmp","target":7,"maxWidth":-3}');
    const third = effectScope().run(() => useCompressOptions());
    expect(third!.form.value).toEqual(defaultOptions());
  });
});
