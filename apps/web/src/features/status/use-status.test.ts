import type { AxiosAdapter, InternalAxiosRequestConfig } from 'axios';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { effectScope } from 'vue';
import { http } from '../../shared/api/http';
import { busyAnswer, statusAnswer } from './status-fixtures';
import { useStatus } from './use-status';

/** A `document` whose visibility the test sets. */
function fakeVisibility() {
  const target = new EventTarget();
  const visibility = Object.assign(target, { hidden: false });
  return {
    visibility,
    set(hidden: boolean) {
      visibility.hidden = hidden;
      target.dispatchEvent(new Event('visibilitychange'));
    },
  };
}

describe('useStatus (polling /api/status through the app’s HTTP client)', () => {
  const originalAdapter = http.defaults.adapter;
  let scope: ReturnType<typeof effectScope>;
  let requests: InternalAxiosRequestConfig[];
  let replies: Array<() => unknown>;

  /** An adapter that answers each request with the next reply (a value, or a thrown failure). */
  function adapter(): AxiosAdapter {
    return async (config) => {
      requests.push(config);
      const reply = replies.shift() ?? (() => busyAnswer);
      const data = reply();
      return { status: 200, statusText: '', data, headers: {}, config };
    };
  }

  beforeEach(() => {
    vi.useFakeTimers();
    scope = effectScope();
    requests = [];
    replies = [];
    http.defaults.adapter = adapter();
  });
  afterEach(() => {
    scope.stop();
    http.defaults.adapter = originalAdapter;
    vi.useRealTimers();
  });

  it('loads at once, then again every interval after each answer', async () => {
    const { visibility } = fakeVisibility();
    replies.push(() => statusAnswer([]));
    const state = scope.run(() => useStatus({ intervalMs: 5000, visibility }))!;
    expect(state.loading.value).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(state.loading.value).toBe(false);
    expect(state.status.value?.services).toEqual([]);
    expect(requests.map((request) => request.url)).toEqual(['/api/status']);

    await vi.advanceTimersByTimeAsync(4999);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(requests).toHaveLength(2);
    expect(state.status.value).toEqual(busyAnswer);
    expect(state.empty.value).toBe(false);
  });

  it('is empty while no service has answered a request', async () => {
    const { visibility } = fakeVisibility();
    replies.push(() => statusAnswer([{ ...busyAnswer.services[1]! }]));
    const state = scope.run(() => useStatus({ visibility }))!;
    await vi.advanceTimersByTimeAsync(0);
    expect(state.empty.value).toBe(true);
  });

  it('keeps the last figures on a failure, shows the error, and goes on polling', async () => {
    const { visibility } = fakeVisibility();
    replies.push(
      () => busyAnswer,
      () => {
        throw new Error('connection refused');
      },
    );
    const state = scope.run(() => useStatus({ intervalMs: 1000, visibility }))!;
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(state.error.value).not.toBeNull();
    expect(state.status.value).toEqual(busyAnswer);
    await vi.advanceTimersByTimeAsync(1000);
    expect(requests).toHaveLength(3);
    expect(state.error.value).toBeNull();
  });

  it('pauses while the tab is hidden, aborting the request in flight, and asks at once when it shows', async () => {
    const { visibility, set } = fakeVisibility();
    let release: (() => void) | undefined;
    const signals: AbortSignal[] = [];
    http.defaults.adapter = (config) => {
      requests.push(config);
      signals.push(config.signal as AbortSignal);
      return new Promise((resolve, reject) => {
        (config.signal as AbortSignal).addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        release = () => resolve({ status: 200, statusText: '', data: busyAnswer, headers: {}, config });
      });
    };
    const state = scope.run(() => useStatus({ intervalMs: 1000, visibility }))!;
    await vi.advanceTimersByTimeAsync(0);
    set(true);
    expect(signals[0]?.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(requests).toHaveLength(1);
    expect(state.error.value).toBeNull();

    set(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(requests).toHaveLength(2);
    release?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(state.status.value).toEqual(busyAnswer);
  });

  it('stops, aborting its request, when its scope ends', async () => {
    const { visibility } = fakeVisibility();
    const signals: AbortSignal[] = [];
    http.defaults.adapter = (config) => {
      signals.push(config.signal as AbortSignal);
      return new Promise(() => undefined);
    };
    scope.run(() => useStatus({ intervalMs: 1000, visibility }));
    await vi.advanceTimersByTimeAsync(0);
    scope.stop();
    expect(signals[0]?.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(signals).toHaveLength(1);
  });
});
