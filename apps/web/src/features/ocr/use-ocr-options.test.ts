import { afterEach, describe, expect, it } from 'vitest';
import { effectScope, nextTick } from 'vue';
import { defaultOcrOptions, toOcrOptions, useOcrOptions } from './use-ocr-options';

describe('toOcrOptions', () => {
  it('sends nothing for the defaults, so the model keeps its own', () => {
    expect(toOcrOptions(defaultOcrOptions())).toEqual({});
  });

  it('sends what differs: long side clamped to a multiple of 32, thresholds clamped, direction', () => {
    expect(
      toOcrOptions({ maxSide: 1300, detectionThreshold: 0.25, boxThreshold: 0.6, useDirection: false }),
    ).toEqual({ maxSide: 1312, detectionThreshold: 0.25, useDirection: false });
    expect(toOcrOptions({ maxSide: 99_999, detectionThreshold: 0, boxThreshold: 2, useDirection: true })).toEqual({
      maxSide: 4096,
      detectionThreshold: 0.05,
      boxThreshold: 0.95,
    });
    expect(toOcrOptions({ ...defaultOcrOptions(), maxSide: 10, boxThreshold: 0.7000000001 })).toEqual({
      maxSide: 320,
      boxThreshold: 0.7,
    });
  });
});

describe('useOcrOptions', () => {
  afterEach(() => localStorage.clear());

  it('remembers the form across visits and ignores malformed storage', async () => {
    const scope = effectScope();
    const first = scope.run(() => useOcrOptions());
    first!.form.value = { maxSide: 1280, detectionThreshold: 0.3, boxThreshold: 0.5, useDirection: false };
    await nextTick();
    scope.stop();

    const second = effectScope().run(() => useOcrOptions());
    expect(second!.options.value).toEqual({ maxSide: 1280, boxThreshold: 0.5, useDirection: false });
    second!.reset();
    expect(second!.form.value).toEqual(defaultOcrOptions());

    localStorage.setItem(
      'dlserve.ocr-options',
      '{"maxSide":"big","detectionThreshold":3,"boxThreshold":null,"useDirection":"no"}',
    );
    const third = effectScope().run(() => useOcrOptions());
    expect(third!.form.value).toEqual(defaultOcrOptions());
  });
});
