import type { JobAccepted, ModelSummary } from '@dlserve/shared';
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { effectScope, ref } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import { modelSummary } from '../../shared/testing/helpers';
import ModelPage from './model-page.vue';
import ModelTool from './model-tool.vue';
import { modelJobsKey, useModelJobs } from './use-model-jobs';
import { modelListKey, type ModelList } from './use-models';

const esrgan = modelSummary({ name: 'esrgan', title: { en: 'ESRGAN' }, scale: 2 });

function modelList(state: { models?: ModelSummary[]; loading?: boolean; error?: string | null }) {
  const error = ref(state.error ?? null);
  const list: ModelList = {
    models: ref(state.models ?? []),
    defaultModel: ref(null),
    loading: ref(state.loading ?? false),
    error,
    refresh: async () => undefined,
  };
  return { ...list, setError: (message: string | null) => (error.value = message) };
}

describe('model-page', () => {
  const scope = effectScope();
  afterEach(() => vi.restoreAllMocks());

  async function mountPage(name: string, list: ModelList) {
    const blank = { render: () => null };
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/compress', name: 'compress', component: blank },
        { path: '/models/:name', name: 'model', component: blank },
      ],
    });
    await router.push({ name: 'model', params: { name } });
    const jobs = scope.run(() => useModelJobs({ startJob: () => new Promise<JobAccepted>(() => undefined) }))!;
    const wrapper = mount(ModelPage, {
      props: { name },
      global: { plugins: [router], provide: { [modelListKey]: list, [modelJobsKey]: jobs } },
    });
    return { wrapper, router };
  }

  it('shows the named model’s tool', async () => {
    const { wrapper } = await mountPage('esrgan', modelList({ models: [esrgan] }));
    expect(wrapper.getComponent(ModelTool).props('model')).toEqual(esrgan);
  });

  it('says so while the list loads, and when it could not be loaded', async () => {
    const list = modelList({ loading: true });
    const { wrapper } = await mountPage('esrgan', list);
    expect(wrapper.get('[role="status"]').text()).toBe('Loading models…');

    list.loading.value = false;
    list.setError('The server is unavailable.');
    await flushPromises();
    expect(wrapper.text()).toBe('The models could not be loaded: The server is unavailable.');

    list.setError(null);
    list.models.value = [esrgan];
    await flushPromises();
    expect(wrapper.findComponent(ModelTool).exists()).toBe(true);
  });

  it('names a model the server does not know, with a way back to compression', async () => {
    const { wrapper, router } = await mountPage('gone', modelList({ models: [esrgan] }));
    expect(wrapper.get('h2').text()).toBe('No model called “gone”');
    await wrapper.get('button').trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.name).toBe('compress');
  });
});
