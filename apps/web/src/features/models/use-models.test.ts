import type { ModelListResponse, ModelSummary } from '@dlserve/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { effectScope } from 'vue';
import { HttpError } from '../../shared/api/http';
import { modelSummary } from '../../shared/testing/helpers';
import { useModels } from './use-models';

const model = (name: string, status: ModelSummary['status']) => modelSummary({ name, title: { en: name }, status });

describe('useModels', () => {
  let scope: ReturnType<typeof effectScope>;
  beforeEach(() => {
    vi.useFakeTimers();
    scope = effectScope();
  });
  afterEach(() => {
    scope.stop();
    vi.useRealTimers();
  });

  it('fetches the list, and again while a model is loading', async () => {
    const answers: ModelListResponse[] = [
      { defaultModel: 'a', models: [model('a', 'loading')] },
      { defaultModel: 'a', models: [model('a', 'ready')] },
    ];
    const list = vi.fn(async () => answers.shift()!);
    const state = scope.run(() => useModels({ list, refreshInterval: 1000 }))!;
    expect(state.loading.value).toBe(true);

    await vi.advanceTimersByTimeAsync(0);
    expect(state.loading.value).toBe(false);
    expect(state.models.value[0]?.status).toBe('loading');

    await vi.advanceTimersByTimeAsync(1000);
    expect(state.models.value[0]?.status).toBe('ready');
    await vi.advanceTimersByTimeAsync(5000);
    expect(list).toHaveBeenCalledTimes(2);
  });

  it('treats a 404 as "no models" and other failures as an error', async () => {
    const missing = scope.run(() =>
      useModels({ list: vi.fn(async () => Promise.reject(new HttpError('Not found', 'not_found', 404))) }),
    )!;
    const broken = scope.run(() =>
      useModels({ list: vi.fn(async () => Promise.reject(new HttpError('Server down', 'http', 502))) }),
    )!;
    await vi.advanceTimersByTimeAsync(0);
    expect(missing.error.value).toBeNull();
    expect(missing.models.value).toEqual([]);
    expect(broken.error.value).toBe('Server down');
  });
});
