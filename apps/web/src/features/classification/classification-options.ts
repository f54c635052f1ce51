import type { ModelSummary } from '@dlserve/shared';
import { computed, ref } from 'vue';
import type { ModelRequestOptions } from '../../shared/api/models';

/** What the classification options form edits. */
export interface ClassificationFormValue {
  /** Labels to ask for; the field may hold anything while it is being typed in. */
  topK: number;
}

export const TOP_K_MAX = 20;
/** When the model does not say how many labels it answers with. */
export const DEFAULT_TOP_K = 5;

/** The form as request fields: a whole number of labels up to `TOP_K_MAX`, or none (the model's default). */
export function toClassificationOptions(form: ClassificationFormValue): ModelRequestOptions {
  const k = Math.round(form.topK);
  return Number.isFinite(k) && k >= 1 ? { topK: Math.min(TOP_K_MAX, k) } : {};
}

/** How many labels the next files ask for, starting at the model's own number. */
export function useClassificationOptions(model: Pick<ModelSummary, 'topK'>) {
  const form = ref<ClassificationFormValue>({ topK: model.topK ?? DEFAULT_TOP_K });
  const options = computed(() => toClassificationOptions(form.value));
  return { form, options };
}
