import type { StatusResponse } from '@dlserve/shared';
import { config, flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it, onTestFinished } from 'vitest';
import { defineComponent, h } from 'vue';
import { createAppI18n } from '../../shared/i18n';
import { busyAnswer, statusAnswer, service } from './status-fixtures';
import StatusPage from './status-page.vue';

/** happy-dom has no canvas: the charts are stand-ins that show what they were given. */
const ChartStub = defineComponent({
  props: ['title', 'summary', 'columns', 'lines'],
  setup: (props) => () => h('figure', { 'data-testid': 'status-chart', 'aria-label': props.summary }, props.title),
});

const hidden = { hidden: false, addEventListener: () => undefined, removeEventListener: () => undefined };

/** The app's i18n that vitest.setup.ts installs for every mount. */
const i18n = config.global.plugins[0] as ReturnType<typeof createAppI18n>;

function mountPage(fetchStatus: () => Promise<StatusResponse>) {
  return mount(StatusPage, {
    props: { options: { fetchStatus, visibility: hidden, intervalMs: 60_000 } },
    global: { stubs: { StatusChart: ChartStub } },
  });
}

describe('status-page', () => {
  it('says it is loading until the first answer', () => {
    const wrapper = mountPage(() => new Promise(() => undefined));
    expect(wrapper.get('[data-testid="status-loading"]').text()).toBe('Loading the figures…');
    expect(wrapper.find('[data-testid="status-empty"]').exists()).toBe(false);
  });

  it('before any traffic: the friendly empty state, each service with its state and queue, no charts', async () => {
    const wrapper = mountPage(async () => statusAnswer([service({ name: 'esrgan', title: { en: 'ESRGAN' } }), service({ kind: 'compressor', name: 'compressor', title: { en: 'Image compressor' } })]));
    await flushPromises();
    expect(wrapper.get('[data-testid="status-empty"]').text()).toBe('No requests yet — figures appear here once the models get work.');
    expect(wrapper.find('[data-testid="status-loading"]').exists()).toBe(false);
    const card = wrapper.get('[data-testid="status-card-esrgan"]');
    expect(card.get('h3').text()).toBe('ESRGAN');
    expect(card.get('[data-testid="status-state"]').text()).toBe('Ready');
    expect(card.get('[data-testid="status-queue"]').text()).toBe('Queue 0 / 8');
    expect(wrapper.get('[data-testid="status-card-compressor"] h3').text()).toBe('Image compressor');
    expect(wrapper.findAll('[data-testid="status-chart"]')).toHaveLength(0);
  });

  it('with traffic: a card per service, charts with their figures in words', async () => {
    const wrapper = mountPage(async () => busyAnswer);
    await flushPromises();
    expect(wrapper.find('[data-testid="status-empty"]').exists()).toBe(false);
    const card = wrapper.get('[data-testid="status-card-esrgan"]');
    expect(card.get('[data-testid="status-queue"]').text()).toBe('Queue 1 / 8');
    const charts = card.findAll('[data-testid="status-chart"]');
    expect(charts.map((chart) => chart.text())).toEqual(['Requests per minute', 'Errors per minute', 'Latency', 'Average batch size']);
    expect(charts[0]!.attributes('aria-label')).toBe('Requests per minute over the last 15 minutes: 3/min now, peak 3/min.');
    expect(charts[2]!.attributes('aria-label')).toBe('Latency over the last minute: p50 120 ms, p95 480 ms.');
    expect(charts[3]!.attributes('aria-label')).toBe('Average batch size over the last minute: 1.5.');
    expect(wrapper.get('[data-testid="status-card-compressor"]').text()).toContain('No requests yet.');
  });

  it('shows an error with a retry, and the figures again once it works', async () => {
    let fail = true;
    const wrapper = mountPage(async () => {
      if (fail) throw new Error('down');
      return busyAnswer;
    });
    await flushPromises();
    expect(wrapper.get('[data-testid="status-error"]').attributes('role')).toBe('alert');
    expect(wrapper.find('[data-testid="status-loading"]').exists()).toBe(false);
    fail = false;
    await wrapper.get('[data-testid="status-error"] button').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-testid="status-error"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="status-card-esrgan"]').exists()).toBe(true);
  });

  it('in Chinese, numbers and all', async () => {
    i18n.global.locale.value = 'zh';
    onTestFinished(() => {
      i18n.global.locale.value = 'en';
    });
    const wrapper = mountPage(async () => busyAnswer);
    await flushPromises();
    expect(wrapper.get('h2').text()).toBe('服务状态');
    const card = wrapper.get('[data-testid="status-card-esrgan"]');
    expect(card.get('[data-testid="status-state"]').text()).toBe('就绪');
    expect(card.get('[data-testid="status-queue"]').text()).toBe('队列 1 / 8');
    expect(card.findAll('[data-testid="status-chart"]')[2]!.attributes('aria-label')).toBe('最近一分钟的延迟：p50 120 毫秒，p95 480 毫秒。');
    expect(wrapper.get('[data-testid="status-card-compressor"] h3').text()).toBe('图片压缩');
  });
});
