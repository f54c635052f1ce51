import type { JobAccepted, ModelSummary } from '@dlserve/shared';
import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { effectScope } from 'vue';
import { modelSummary } from '../../shared/testing/helpers';
import DropZone from '../../shared/ui/drop-zone.vue';
import OcrOptionsForm from '../ocr/ocr-options-form.vue';
import ModelTool from './model-tool.vue';
import { useModelJobs, type StartJobFn } from './use-model-jobs';

const esrgan = modelSummary({
  name: 'esrgan',
  title: { en: 'ESRGAN ×2' },
  description: { en: 'Upscales.' },
  source: { url: 'https://example.org/esrgan' },
  scale: 2,
});

const mobilenet: ModelSummary = {
  ...esrgan,
  name: 'mobilenet',
  title: { en: 'MobileNet' },
  task: 'image-classification',
  scale: undefined,
  topK: 3,
};

const ocrModel = modelSummary({
  name: 'ppocr-v4',
  title: { en: 'PP-OCRv4' },
  description: { en: 'Finds and reads text.' },
  task: 'ocr',
  licence: { name: 'Apache-2.0' },
  source: { url: 'https://example.org/ppocr' },
  examples: ['/api/models/ppocr-v4/examples/receipt.jpg'],
});

describe('model-tool', () => {
  const scope = effectScope();

  afterEach(() => {
    localStorage.clear();
    vi.restoreAllMocks();
  });

  function mountTool(model: ModelSummary) {
    vi.spyOn(URL, 'createObjectURL').mockImplementation(() => 'blob:x');
    const startJob = vi.fn<StartJobFn>(() => new Promise<JobAccepted>(() => undefined));
    const jobs = scope.run(() => useModelJobs({ startJob }))!;
    return { wrapper: mount(ModelTool, { props: { model, jobs } }), startJob };
  }

  async function drop(wrapper: ReturnType<typeof mountTool>['wrapper'], name: string) {
    wrapper.findComponent(DropZone).vm.$emit('files', [new File(['x'], name, { type: 'image/png' })]);
    await wrapper.vm.$nextTick();
  }

  it('upscales with the output format chosen, in the task’s words', async () => {
    const { wrapper, startJob } = mountTool(esrgan);
    expect(wrapper.text()).toContain('Drop images to process with ESRGAN ×2');
    expect(wrapper.text()).toContain('Scale×2 per side');
    expect(wrapper.text()).toContain('Results appear here, each with a zoomable before/after comparison');
    expect(wrapper.find('input[name="topK"]').exists()).toBe(false);

    await drop(wrapper, 'a.png');
    await wrapper.get('select[name="format"]').setValue('webp');
    await drop(wrapper, 'b.png');
    expect(startJob.mock.calls.map((call) => call[2])).toEqual([{ format: 'png' }, { format: 'webp' }]);
    wrapper.unmount();
  });

  it('classifies with as many labels as asked, starting at the model’s own number', async () => {
    const { wrapper, startJob } = mountTool(mobilenet);
    expect(wrapper.text()).toContain('Drop images to classify with MobileNet');
    expect(wrapper.text()).toContain('Top labels3');
    expect(wrapper.find('select[name="format"]').exists()).toBe(false);
    expect(wrapper.get<HTMLInputElement>('input[name="topK"]').element.value).toBe('3');

    await drop(wrapper, 'a.png');
    await wrapper.get('input[name="topK"]').setValue('50');
    await drop(wrapper, 'b.png');
    expect(startJob.mock.calls.map((call) => call[2])).toEqual([{ topK: 3 }, { topK: 20 }]);
    wrapper.unmount();
  });

  it('says so for a task this page does not know, and takes no files', () => {
    const { wrapper } = mountTool({ ...esrgan, task: 'depth-estimation' as ModelSummary['task'] });
    expect(wrapper.text()).toContain('This page cannot show results of this kind of model yet.');
    expect(wrapper.findComponent(DropZone).exists()).toBe(false);
    expect(wrapper.find('form').exists()).toBe(false);
    wrapper.unmount();
  });

  it('reads text like the others: examples, drop zone, OCR options sent with the next files', async () => {
    vi.spyOn(URL, 'createObjectURL').mockImplementation(() => 'blob:x');
    const startJob = vi.fn<StartJobFn>(() => new Promise<JobAccepted>(() => undefined));
    const jobs = scope.run(() => useModelJobs({ startJob }))!;
    const wrapper = mount(ModelTool, { props: { model: ocrModel, jobs } });

    expect(wrapper.text()).not.toMatch(/cannot show/i);
    expect(wrapper.get('[data-testid="example-image"]').attributes()).not.toHaveProperty('disabled');
    expect(wrapper.findComponent(DropZone).exists()).toBe(true);
    expect(wrapper.find('select[name="format"]').exists()).toBe(false);
    expect(wrapper.find('input[name="topK"]').exists()).toBe(false);

    const form = wrapper.findComponent(OcrOptionsForm);
    await wrapper.get('input[name="maxSide"]').setValue('1280');
    await wrapper.get('input[name="useDirection"]').setValue(false);
    expect(form.props('modelValue')).toMatchObject({ maxSide: 1280, useDirection: false });

    wrapper.findComponent(DropZone).vm.$emit('files', [new File(['x'], 'receipt.png', { type: 'image/png' })]);
    await wrapper.vm.$nextTick();
    expect(startJob).toHaveBeenCalledTimes(1);
    expect(startJob.mock.calls[0]?.[0]).toBe('ppocr-v4');
    expect(startJob.mock.calls[0]?.[2]).toEqual({ maxSide: 1280, useDirection: false });
    expect(wrapper.findAll('[data-testid="result-card"]')).toHaveLength(1);
    expect(localStorage.getItem('dlserve.ocr-options')).toContain('1280');

    wrapper.unmount();
    scope.stop();
  });
});
