import type { CompressedFile } from '@dlserve/shared';
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { HttpError } from '../../shared/api/http';
import { createAppI18n } from '../../shared/i18n';
import CompressResultCard from './compress-result-card.vue';
import type { UploadItem } from './use-upload-queue';

const compressed: CompressedFile = {
  name: 'holiday.png',
  result: '/assets/3f9a.webp',
  format: 'webp',
  width: 1600,
  height: 900,
  bytesIn: 2_400_000,
  bytesOut: 312_000,
  ssim: 0.98634,
  quality: 72,
  keptOriginal: false,
  ms: 1830,
};

function item(overrides: Partial<UploadItem>): UploadItem {
  return {
    id: 7,
    file: new File(['x'], 'holiday.png', { type: 'image/png' }),
    previewUrl: 'blob:preview/7',
    options: {},
    status: 'queued',
    progress: 0,
    result: null,
    error: null,
    ...overrides,
  };
}

describe('compress-result-card', () => {
  it('says a finished file in Chinese, with the figures formatted for it', () => {
    const wrapper = mount(CompressResultCard, {
      props: { item: item({ status: 'done', progress: 1, result: compressed }) },
      global: { plugins: [createAppI18n('zh')] },
    });
    const text = wrapper.get('[data-testid="result-card"]').text();
    expect(text).toContain('完成');
    expect(text).toContain('小了 87%');
    expect(text).toContain('WebP · 质量 72');
    expect(text).toContain('1.8秒');
    expect(text).toContain('下载 holiday.webp');
    expect(wrapper.get('input[type="range"]').attributes('aria-label')).toBe('对比 holiday.png 的原图和压缩结果');
    // The page's other tests run in English again.
    createAppI18n('en');
  });

  it('says a failure again in the language switched to after it', async () => {
    const i18n = createAppI18n('en');
    const failure = new HttpError('holiday.png could not be decoded.', 'corrupt_image', 422, {
      statusCode: 422,
      error: 'corrupt_image',
      message: 'holiday.png could not be decoded.',
    });
    const wrapper = mount(CompressResultCard, {
      props: { item: item({ status: 'error', error: failure.message, failure }) },
      global: { plugins: [i18n] },
    });
    expect(wrapper.get('[data-testid="error-message"]').text()).toBe('holiday.png could not be decoded.');
    i18n.global.locale.value = 'zh';
    await nextTick();
    expect(wrapper.get('[data-testid="error-message"]').text()).toBe('图片已损坏，无法解码。');
    createAppI18n('en');
  });

  it('renders a finished file: comparison, sizes, saving, details and download', () => {
    const wrapper = mount(CompressResultCard, { props: { item: item({ status: 'done', progress: 1, result: compressed }) } });

    const card = wrapper.get('[data-testid="result-card"]');
    expect(card.attributes('data-state')).toBe('done');

    const image = wrapper.get('[data-testid="result-image"]');
    expect(image.attributes('src')).toBe('/assets/3f9a.webp');
    expect(wrapper.get('img.before').attributes('src')).toBe('blob:preview/7');
    expect(wrapper.get('input[type="range"]').attributes('aria-label')).toContain('holiday.png');

    const text = card.text();
    expect(text).toContain('2.4 MB');
    expect(text).toContain('312 kB');
    expect(text).toContain('87% smaller');
    expect(text).toContain('0.9863');
    expect(text).toContain('WebP · quality 72');
    expect(text).toContain('1600 × 900');
    expect(text).toContain('1.8 s');
    expect(wrapper.find('[data-testid="kept-original"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="error-message"]').exists()).toBe(false);

    const link = wrapper.get('[data-testid="download-link"]');
    expect(link.attributes('href')).toBe('/assets/3f9a.webp');
    expect(link.attributes('download')).toBe('holiday.webp');
  });

  it('says when the original was kept', () => {
    const kept: CompressedFile = { ...compressed, format: 'png', quality: null, ssim: 1, bytesOut: 2_390_000, keptOriginal: true };
    const wrapper = mount(CompressResultCard, { props: { item: item({ status: 'done', result: kept }) } });
    expect(wrapper.get('[data-testid="kept-original"]').text()).toMatch(/original/i);
    expect(wrapper.text()).toContain('PNG');
    expect(wrapper.get('[data-testid="download-link"]').attributes('download')).toBe('holiday.png');
  });

  it('renders a failed file with its message, and emits retry and remove', async () => {
    const message = 'holiday.png is not an image this service can read.';
    const wrapper = mount(CompressResultCard, { props: { item: item({ status: 'error', error: message }) } });

    expect(wrapper.get('[data-testid="result-card"]').attributes('data-state')).toBe('error');
    expect(wrapper.get('[data-testid="error-message"]').text()).toBe(message);
    expect(wrapper.find('[data-testid="result-image"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="download-link"]').exists()).toBe(false);

    await wrapper.get('button.button-primary').trigger('click');
    expect(wrapper.emitted('retry')).toEqual([[7]]);
    await wrapper.get('button[aria-label="Remove holiday.png"]').trigger('click');
    expect(wrapper.emitted('remove')).toEqual([[7]]);
  });

  it('shows upload progress, then an indeterminate bar while processing', async () => {
    const wrapper = mount(CompressResultCard, { props: { item: item({ status: 'uploading', progress: 0.42 }) } });
    expect(wrapper.get('[data-testid="result-card"]').attributes('data-state')).toBe('uploading');
    const bar = wrapper.get('[role="progressbar"]');
    expect(bar.attributes('aria-valuenow')).toBe('42');
    expect(wrapper.text()).toContain('Uploading… 42%');

    await wrapper.setProps({ item: item({ status: 'processing', progress: 1 }) });
    expect(wrapper.get('[data-testid="result-card"]').attributes('data-state')).toBe('processing');
    expect(wrapper.get('[role="progressbar"]').attributes('aria-valuenow')).toBeUndefined();
    expect(wrapper.text()).toContain('Compressing…');
  });

  it('shows a waiting file as an upload at 0%', () => {
    const wrapper = mount(CompressResultCard, { props: { item: item({ status: 'queued' }) } });
    expect(wrapper.get('[data-testid="result-card"]').attributes('data-state')).toBe('uploading');
    expect(wrapper.get('[role="progressbar"]').attributes('aria-valuenow')).toBe('0');
    expect(wrapper.text()).toContain('Waiting…');
  });
});
