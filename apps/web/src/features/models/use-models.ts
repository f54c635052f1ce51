import type { ModelSummary } from '@dlserve/shared';
import { computed, getCurrentScope, onScopeDispose, ref, type InjectionKey, type Ref } from 'vue';
import { appErrorMessage } from '../../shared/api/errors';
import { toHttpError, type HttpError } from '../../shared/api/http';
import { listModels } from '../../shared/api/models';

export interface UseModelsOptions {
  /** The API call; tests pass a fake. */
  list?: typeof listModels;
  /** How often to ask again while a model is still loading, in ms. */
  refreshInterval?: number;
}

/**
 * The models the server offers. While any is `loading` the list is fetched again every few
 * seconds, so the picker shows it turn ready (or failed) without a reload.
 */
export function useModels(options: UseModelsOptions = {}) {
  const list = options.list ?? listModels;
  const refreshInterval = options.refreshInterval ?? 3000;

  const models = ref<ModelSummary[]>([]);
  const defaultModel = ref<string | null>(null);
  /** True until the first answer (or failure). */
  const loading = ref(true);
  /** Why the list could not be fetched; `null` when it was (or when the API has no models). */
  const failure = ref<HttpError | null>(null);
  /** The failure in words, in the UI's current language. */
  const error = computed(() => (failure.value ? appErrorMessage(failure.value) : null));

  let controller: AbortController | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let disposed = false;

  function schedule(): void {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (disposed) return;
    if (models.value.some((model) => model.status === 'loading')) {
      timer = setTimeout(() => void refresh(), refreshInterval);
    }
  }

  async function refresh(): Promise<void> {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    try {
      const response = await list(current.signal);
      if (current.signal.aborted) return;
      models.value = response.models;
      defaultModel.value = response.defaultModel;
      failure.value = null;
    } catch (caught) {
      if (current.signal.aborted) return;
      const httpError = toHttpError(caught);
      // An API without models (404) is not an error for the page: it just offers compression.
      failure.value = httpError.status === 404 ? null : httpError;
    } finally {
      if (controller === current) {
        loading.value = false;
        schedule();
      }
    }
  }

  void refresh();

  if (getCurrentScope()) {
    onScopeDispose(() => {
      disposed = true;
      controller?.abort();
      if (timer !== null) clearTimeout(timer);
    });
  }

  return { models, defaultModel, loading, error: error as Readonly<Ref<string | null>>, refresh };
}

export type ModelList = ReturnType<typeof useModels>;

/** The server's models, fetched once by the shell (its picker shows them) for the model pages. */
export const modelListKey: InjectionKey<ModelList> = Symbol('model list');
