import type { StatusResponse } from '@dlserve/shared';
import { computed, onScopeDispose, ref, shallowRef } from 'vue';
import { getStatus } from '../../shared/api/status';

export interface UseStatusOptions {
  fetchStatus?: (signal: AbortSignal) => Promise<StatusResponse>;
  /** Time from one answer to the next request. */
  intervalMs?: number;
  /** Whose visibility pauses the polling (the page's `document`). */
  visibility?: Pick<Document, 'hidden' | 'addEventListener' | 'removeEventListener'>;
}

/**
 * `GET /api/status`, asked again `intervalMs` after each answer (never two at once), paused while
 * the tab is hidden (the request in flight aborted) and asked at once when it shows again. A
 * failure keeps the last figures on screen, with the error, and the polling goes on.
 */
export function useStatus(options: UseStatusOptions = {}) {
  const fetchStatus = options.fetchStatus ?? getStatus;
  const intervalMs = options.intervalMs ?? 5000;
  const visibility = options.visibility ?? document;

  const status = shallowRef<StatusResponse | null>(null);
  /** Until the first answer or failure. */
  const loading = ref(true);
  const error = ref<unknown>(null);
  /** No service has answered a request since the server started. */
  const empty = computed(() => status.value !== null && status.value.services.every((service) => service.totalRequests === 0));

  let controller: AbortController | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  async function refresh(): Promise<void> {
    clearTimeout(timer);
    controller?.abort();
    const current = (controller = new AbortController());
    try {
      status.value = await fetchStatus(current.signal);
      error.value = null;
    } catch (failure) {
      if (current.signal.aborted) return;
      error.value = failure;
    } finally {
      if (controller === current) {
        controller = null;
        loading.value = false;
        schedule();
      }
    }
  }

  function schedule(): void {
    if (stopped || visibility.hidden) return;
    timer = setTimeout(() => void refresh(), intervalMs);
  }

  function pause(): void {
    clearTimeout(timer);
    controller?.abort();
    controller = null;
  }

  const onVisibilityChange = (): void => {
    if (visibility.hidden) pause();
    else void refresh();
  };
  visibility.addEventListener('visibilitychange', onVisibilityChange);
  onScopeDispose(() => {
    stopped = true;
    pause();
    visibility.removeEventListener('visibilitychange', onVisibilityChange);
  });

  void refresh();
  return { status, loading, error, empty, refresh };
}
