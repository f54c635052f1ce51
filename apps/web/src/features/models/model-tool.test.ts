import type { JobAccepted, ModelSummary } from '@dlserve/shared';
import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { effectScope } from 'vue';
import DropZone from '../../shared/ui/drop-zone.vue';
import OcrOptionsForm from '../ocr/ocr-options-form.vue';
import ModelTool from './model-tool.vue';
import { useModelJobs, type StartJobFn } from './use-model-jobs';

const ocrModel: ModelSummary = {
  name: 'ppocr-v4',
  title: 'PP-OCRv4',
  description: 'Finds and reads text.',
  task: 'ocr',
  status: 'ready',
  licence: { name: 'Apache-2.0' },
  source: { url: 'https://example.org/ppocr' },
  examples: ['/api/models/ppocr-v4/examples/receipt.jpg'],
};

describe('model-tool with an OCR model', () => {
  const scope = effectScope();

  afterEach(() => {
    localStorage.clear();
    vi.restoreAllMocks();
  });

  it('is usable like the others: examples, drop zone, OCR options sent with the next files', async () => {
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
