import type { InferenceOptions } from '@dlserve/shared';
import { computed, ref } from 'vue';

export type ImageFormatOption = NonNullable<InferenceOptions['format']>;

/** What the image-to-image options form edits. */
export interface ImageFormValue {
  format: ImageFormatOption;
}

export const IMAGE_FORMATS: { value: ImageFormatOption; label: string }[] = [
  { value: 'png', label: 'PNG (lossless)' },
  { value: 'webp', label: 'WebP' },
  { value: 'jpeg', label: 'JPEG' },
  { value: 'avif', label: 'AVIF' },
];

/** The output format the next files ask for; PNG (the API's default) on every visit. */
export function useImageOptions() {
  const form = ref<ImageFormValue>({ format: 'png' });
  const options = computed(() => ({ format: form.value.format }));
  return { form, options };
}
