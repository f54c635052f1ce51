import type { InferenceOptions } from '@dlserve/shared';
import { computed, ref } from 'vue';

export type ImageFormatOption = NonNullable<InferenceOptions['format']>;

/** What the image-to-image options form edits. */
export interface ImageFormValue {
  format: ImageFormatOption;
}

/** The formats offered, PNG first; its label says it is lossless (`superResolution.pngLossless`). */
export const IMAGE_FORMATS: readonly ImageFormatOption[] = ['png', 'webp', 'jpeg', 'avif'];

/** The output format the next files ask for; PNG (the API's default) on every visit. */
export function useImageOptions() {
  const form = ref<ImageFormValue>({ format: 'png' });
  const options = computed(() => ({ format: form.value.format }));
  return { form, options };
}
