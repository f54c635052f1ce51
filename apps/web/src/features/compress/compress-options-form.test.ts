import { describe, expect, it } from 'vitest';
import { mountWithModel } from '../../shared/testing/helpers';
import CompressOptionsForm from './compress-options-form.vue';
import { defaultOptions, type OptionsFormValue } from './use-compress-options';

const setup = (value: OptionsFormValue = defaultOptions()) => mountWithModel(CompressOptionsForm, value);

describe('compress-options-form', () => {
  it('labels every control and shows the target value', () => {
    const wrapper = setup();
    for (const control of wrapper.findAll('select, input')) {
      const id = control.attributes('id');
      expect(wrapper.find(`label[for="${id}"]`).exists()).toBe(true);
    }
    expect(wrapper.get('select').findAll('option').map((o) => o.attributes('value'))).toEqual([
      'auto',
      'jpeg',
      'webp',
      'avif',
      'png',
    ]);
    expect(wrapper.get('output').text()).toBe('0.985');
  });

  it('updates the model: format, target, sizes (empty means no limit)', async () => {
    const wrapper = setup();
    await wrapper.get('select').setValue('avif');
    await wrapper.get('input[name="target"]').setValue('0.95');
    await wrapper.get('input[name="maxWidth"]').setValue('1280');
    expect(wrapper.props('modelValue')).toEqual({ format: 'avif', target: 0.95, maxWidth: 1280, maxHeight: null });
    expect(wrapper.get('output').text()).toBe('0.950');

    await wrapper.get('input[name="maxWidth"]').setValue('');
    expect(wrapper.props('modelValue').maxWidth).toBeNull();
  });

  it('offers a reset once something differs from the defaults', async () => {
    const wrapper = setup({ ...defaultOptions(), format: 'png' });
    await wrapper.get('button').trigger('click');
    expect(wrapper.props('modelValue')).toEqual(defaultOptions());
    expect(wrapper.find('button').exists()).toBe(false);
  });
});
