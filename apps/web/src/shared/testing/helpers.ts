import type { ImageToImageResponse, ModelSummary } from '@dlserve/shared';
import { mount } from '@vue/test-utils';
import { vi } from 'vitest';
import { nextTick, type Component } from 'vue';

/** Lets pending promise callbacks run, then Vue's updates. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
  await nextTick();
}

export const fakeFile = (name: string, type = 'image/png') => new File(['data'], name, { type });

/**
 * Object URLs as `${prefix}1`, `${prefix}2`…, counted from 1 again on each call; revoking does
 * nothing. `vi.restoreAllMocks()` undoes both.
 */
export function stubObjectUrls(prefix = 'blob:test/'): void {
  let count = 0;
  vi.spyOn(URL, 'createObjectURL').mockImplementation(() => `${prefix}${++count}`);
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
}

/** Mounts a `v-model` component the way a parent uses it: each update comes back as the new value. */
export function mountWithModel<TValue>(component: Component, modelValue: TValue) {
  const wrapper = mount(component, {
    props: {
      modelValue,
      'onUpdate:modelValue': (next: TValue) => wrapper.setProps({ modelValue: next }),
    },
  });
  return wrapper;
}

/**
 * A ready image-to-image model named `m`, MIT-licensed, with no description or examples; each
 * field of `overrides` replaces the default.
 */
export function modelSummary(overrides: Partial<ModelSummary> = {}): ModelSummary {
  return {
    name: 'm',
    title: { en: 'M' },
    description: { en: '' },
    task: 'image-to-image',
    status: 'ready',
    licence: { name: 'MIT' },
    source: { url: 'https://example.org' },
    examples: [],
    ...overrides,
  };
}

/** A finished ×2 upscale of `cat.png`, as the job stream's `done` event carries it. */
export const upscaledCat: ImageToImageResponse = {
  task: 'image-to-image',
  model: 'esrgan',
  result: '/assets/r.png',
  files: [
    {
      name: 'cat.png',
      result: '/assets/r.png',
      format: 'png',
      width: 800,
      height: 600,
      inputWidth: 400,
      inputHeight: 300,
      bytesIn: 1000,
      bytesOut: 9000,
      ms: 1500,
    },
  ],
};
