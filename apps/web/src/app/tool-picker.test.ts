import type { ModelSummary } from '@dlserve/shared';
import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { modelSummary } from '../shared/testing/helpers';
import ToolPicker from './tool-picker.vue';
import type { ToolRoute } from './tool-route';

const model = (name: string, overrides: Partial<ModelSummary> = {}) =>
  modelSummary({ name, title: { en: `Title ${name}` }, ...overrides });

const models = [
  model('esrgan', { scale: 2 }),
  model('broken', { status: 'failed', error: 'model.onnx is missing.' }),
  model('mobilenet', { task: 'image-classification', status: 'loading', topK: 5 }),
];

function mountPicker(selected: ToolRoute = { tool: 'compress' }) {
  return mount(ToolPicker, {
    props: { models, selected, panelId: 'panel' },
    attachTo: document.body,
  });
}

describe('tool-picker', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('renders compression first, then every model with its badge and status', () => {
    const wrapper = mountPicker({ tool: 'model', name: 'esrgan' });
    const picker = wrapper.get('[data-testid="tool-picker"]');
    expect(picker.attributes('role')).toBe('tablist');

    const tabs = wrapper.findAll('[role="tab"]');
    expect(tabs.map((t) => t.find('.tab-title').text())).toEqual([
      'Compress images',
      'Title esrgan',
      'Title broken',
      'Title mobilenet',
    ]);
    const options = wrapper.findAll('[data-testid="model-option"]');
    expect(options.map((o) => o.attributes('data-model'))).toEqual(['esrgan', 'broken', 'mobilenet']);

    const esrgan = wrapper.get('[data-model="esrgan"]');
    expect(esrgan.attributes('aria-selected')).toBe('true');
    expect(esrgan.attributes('tabindex')).toBe('0');
    expect(esrgan.attributes('aria-controls')).toBe('panel');
    expect(esrgan.text()).toContain('Upscale ×2');
    expect(wrapper.get('[data-testid="compress-option"]').attributes('tabindex')).toBe('-1');
    expect(wrapper.get('[data-model="mobilenet"]').text()).toContain('Loading');
  });

  it('shows a failed model disabled, with its error as a description', async () => {
    const wrapper = mountPicker();
    const broken = wrapper.get('[data-model="broken"]');
    expect(broken.attributes('aria-disabled')).toBe('true');
    const tip = wrapper.get(`#${broken.attributes('aria-describedby')}`);
    // Not a child of the tablist in the accessibility tree (only tabs may be); read as the description.
    expect(tip.attributes('aria-hidden')).toBe('true');
    expect(tip.attributes('role')).toBeUndefined();
    expect(tip.text()).toBe('model.onnx is missing.');

    await broken.trigger('click');
    expect(wrapper.emitted('select')).toBeUndefined();
  });

  it('selects on click', async () => {
    const wrapper = mountPicker();
    await wrapper.get('[data-model="mobilenet"]').trigger('click');
    expect(wrapper.emitted('select')).toEqual([[{ tool: 'model', name: 'mobilenet' }]]);
  });

  it('moves with arrow keys, Home and End, skipping selection of failed models', async () => {
    const wrapper = mountPicker();
    const tabs = () => wrapper.findAll<HTMLElement>('[role="tab"]');

    await tabs()[0]!.trigger('keydown', { key: 'ArrowRight' });
    expect(document.activeElement).toBe(tabs()[1]!.element);
    expect(wrapper.emitted('select')).toEqual([[{ tool: 'model', name: 'esrgan' }]]);

    // The failed model takes focus (so its error can be read) but is not selected.
    await tabs()[1]!.trigger('keydown', { key: 'ArrowRight' });
    expect(document.activeElement).toBe(tabs()[2]!.element);
    expect(wrapper.emitted('select')).toHaveLength(1);

    await tabs()[2]!.trigger('keydown', { key: 'End' });
    expect(document.activeElement).toBe(tabs()[3]!.element);
    expect(wrapper.emitted('select')?.[1]).toEqual([{ tool: 'model', name: 'mobilenet' }]);

    await tabs()[3]!.trigger('keydown', { key: 'ArrowRight' });
    expect(document.activeElement).toBe(tabs()[0]!.element);

    await tabs()[0]!.trigger('keydown', { key: 'ArrowLeft' });
    expect(document.activeElement).toBe(tabs()[3]!.element);
  });

  it('shows each task’s own icon, and a plain one for a task it does not know', () => {
    const wrapper = mount(ToolPicker, {
      props: {
        models: [
          model('esrgan', { scale: 2 }),
          model('mobilenet', { task: 'image-classification' }),
          model('ppocr', { task: 'ocr' }),
          model('depth', { task: 'depth-estimation' as ModelSummary['task'] }),
        ],
        selected: { tool: 'compress' },
        panelId: 'panel',
      },
    });
    const icons = wrapper.findAll('.tab-icon').map((icon) => icon.html());
    expect(icons).toHaveLength(5);
    expect(new Set(icons).size).toBe(5);
    expect(wrapper.findAll('.tab-icon svg')).toHaveLength(5);
    expect(wrapper.get('[data-model="ppocr"]').text()).toContain('Text recognition');
    expect(wrapper.get('[data-model="depth"]').text()).toContain('depth-estimation');
  });

  it('says when the model list is loading or failed, and offers a retry', async () => {
    const wrapper = mount(ToolPicker, {
      props: { models: [], selected: { tool: 'compress' }, panelId: 'p', loading: true },
    });
    expect(wrapper.text()).toContain('Loading models…');
    await wrapper.setProps({ loading: false, error: 'The server is unavailable.' });
    expect(wrapper.text()).toContain('The server is unavailable.');
    await wrapper.get('.note-error button').trigger('click');
    expect(wrapper.emitted('reload')).toHaveLength(1);
  });
});
