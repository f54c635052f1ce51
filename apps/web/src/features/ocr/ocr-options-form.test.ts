import { describe, expect, it } from 'vitest';
import { mountWithModel } from '../../shared/testing/helpers';
import OcrOptionsForm from './ocr-options-form.vue';
import { defaultOcrOptions, type OcrFormValue } from './use-ocr-options';

const setup = (value: OcrFormValue = defaultOcrOptions()) => mountWithModel(OcrOptionsForm, value);

describe('ocr-options-form', () => {
  it('labels every control and shows the defaults', () => {
    const wrapper = setup();
    const controls = wrapper.findAll('input');
    expect(controls.map((c) => c.attributes('name'))).toEqual([
      'maxSide',
      'detectionThreshold',
      'boxThreshold',
      'useDirection',
    ]);
    for (const control of controls) {
      expect(wrapper.find(`label[for="${control.attributes('id')}"]`).exists()).toBe(true);
    }
    expect(wrapper.get<HTMLInputElement>('input[name="maxSide"]').element.value).toBe('960');
    expect(wrapper.findAll('output').map((o) => o.text())).toEqual(['0.30', '0.60']);
    expect(wrapper.get<HTMLInputElement>('input[name="useDirection"]').element.checked).toBe(true);
    expect(wrapper.find('button').exists()).toBe(false);
  });

  it('updates the model from each control', async () => {
    const wrapper = setup();
    await wrapper.get('input[name="maxSide"]').setValue('1280');
    await wrapper.get('input[name="detectionThreshold"]').setValue('0.2');
    await wrapper.get('input[name="boxThreshold"]').setValue('0.75');
    await wrapper.get('input[name="useDirection"]').setValue(false);
    expect(wrapper.props('modelValue')).toEqual({
      maxSide: 1280,
      detectionThreshold: 0.2,
      boxThreshold: 0.75,
      useDirection: false,
    });
    expect(wrapper.findAll('output').map((o) => o.text())).toEqual(['0.20', '0.75']);
  });

  it('keeps the last long side while the field is half typed, and settles on what will be sent', async () => {
    const wrapper = setup();
    const input = wrapper.get<HTMLInputElement>('input[name="maxSide"]');
    await input.setValue('');
    expect(wrapper.props('modelValue').maxSide).toBe(960);
    await input.setValue('1000');
    await input.trigger('change');
    expect(wrapper.props('modelValue').maxSide).toBe(992);
    expect(input.element.value).toBe('992');
  });

  it('offers a reset once something differs from the defaults', async () => {
    const wrapper = setup({ ...defaultOcrOptions(), useDirection: false });
    await wrapper.get('button').trigger('click');
    expect(wrapper.props('modelValue')).toEqual(defaultOcrOptions());
    expect(wrapper.find('button').exists()).toBe(false);
  });
});
