import type { HealthResponse, ModelListResponse } from '@dlserve/shared';
import { flushPromises, mount } from '@vue/test-utils';
import { AxiosError, type AxiosAdapter } from 'axios';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebHashHistory, type RouterHistory } from 'vue-router';
import CompressTool from '../features/compress/compress-tool.vue';
import ModelTool from '../features/models/model-tool.vue';
import { apiKey, keyRefused, rememberApiKey } from '../shared/api/api-key';
import { http } from '../shared/api/http';
import { modelSummary } from '../shared/testing/helpers';
import App from './app.vue';
import { createAppRouter } from './router';

const list: ModelListResponse = {
  defaultModel: 'esrgan',
  models: [modelSummary({ name: 'esrgan', title: { en: 'ESRGAN ×2' }, scale: 2 })],
};
const health: HealthResponse = { status: 'ok', uptimeSeconds: 1, models: { ready: 1, loading: 0, failed: 0 } };

const api: AxiosAdapter = async (config) => ({
  status: 200,
  statusText: 'OK',
  data: config.url === '/api/models' ? list : health,
  headers: {},
  config,
});

describe('app shell', () => {
  const originalAdapter = http.defaults.adapter;
  let history: RouterHistory | undefined;
  afterEach(() => {
    http.defaults.adapter = originalAdapter;
    history?.destroy();
    window.history.replaceState(null, '', '/');
    document.body.innerHTML = '';
  });

  it('shows the tool the URL names in the tab panel, and switches tools through the URL', async () => {
    http.defaults.adapter = api;
    window.history.replaceState(null, '', '/#/models/esrgan');
    history = createWebHashHistory();
    const router = createAppRouter(history);
    const wrapper = mount(App, { global: { plugins: [router] }, attachTo: document.body });
    await router.isReady();
    await flushPromises();

    const panel = wrapper.get('[role="tabpanel"]');
    const tab = wrapper.get('[data-model="esrgan"]');
    expect(tab.attributes('aria-selected')).toBe('true');
    expect(panel.attributes('aria-labelledby')).toBe(tab.attributes('id'));
    expect(wrapper.getComponent(ModelTool).props('model')).toEqual(list.models[0]);
    expect(document.title).toBe('ESRGAN ×2 — dlserve');

    await wrapper.get('[data-testid="compress-option"]').trigger('click');
    await flushPromises();
    expect(window.location.hash).toBe('#/compress');
    expect(wrapper.findComponent(ModelTool).exists()).toBe(false);
    expect(wrapper.findComponent(CompressTool).exists()).toBe(true);
    expect(panel.attributes('aria-labelledby')).toBe(wrapper.get('[data-testid="compress-option"]').attributes('id'));
    expect(document.title).toBe('Compress images — dlserve');
    wrapper.unmount();
  });

  it('asks for an API key when the server refuses without one, then sends it with every request and remembers it', async () => {
    const keys: Array<string | undefined> = [];
    http.defaults.adapter = async (config) => {
      const key = config.headers.get('X-API-Key') as string | undefined;
      keys.push(key);
      if (key !== 'sesame') {
        const response = { status: 401, statusText: '', headers: {}, config, data: { statusCode: 401, error: 'unauthorized', message: 'This API needs a key.' } };
        throw new AxiosError('Unauthorized', 'ERR_BAD_REQUEST', config, {}, response);
      }
      return api(config);
    };
    window.history.replaceState(null, '', '/#/compress');
    history = createWebHashHistory();
    const router = createAppRouter(history);
    const wrapper = mount(App, { global: { plugins: [router] }, attachTo: document.body });
    await router.isReady();
    await flushPromises();

    const prompt = wrapper.get('[role="alert"]');
    expect(prompt.text()).toContain('This server needs an API key');
    expect(wrapper.find('[data-model="esrgan"]').exists()).toBe(false);
    await wrapper.get('#api-key-input').setValue('  sesame ');
    await wrapper.get('form').trigger('submit');
    await flushPromises();

    expect(wrapper.find('[role="alert"]').exists()).toBe(false);
    expect(wrapper.find('[data-model="esrgan"]').exists()).toBe(true);
    expect(keys.at(-1)).toBe('sesame');
    expect(localStorage.getItem('dlserve.apiKey')).toBe('sesame');
    expect(apiKey.value).toBe('sesame');
    wrapper.unmount();
    rememberApiKey(null);
    keyRefused.value = false;
  });
});
