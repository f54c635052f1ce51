import type { ClassificationFile, ImageResultFile, OcrFile } from '@dlserve/shared';
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import ModelResultCard from './model-result-card.vue';
import { initialJobProgress, type ModelJobItem } from './use-model-jobs';

const upscaled: ImageResultFile = {
  name: 'holiday.png',
  result: '/assets/9f1c.png',
  format: 'png',
  width: 1600,
  height: 1200,
  inputWidth: 400,
  inputHeight: 300,
  bytesIn: 240_000,
  bytesOut: 3_100_000,
  ms: 4200,
};

const classified: ClassificationFile = {
  name: 'holiday.png',
  ms: 85,
  labels: [
    { label: 'tabby', index: 281, score: 0.18 },
    { label: 'tiger cat', index: 282, score: 0.71 },
    { label: 'lynx', index: 287, score: 0.021 },
  ],
};

const read: OcrFile = {
  name: 'holiday.png',
  text: 'Hello\nworld',
  lines: [
    { text: 'Hello', confidence: 0.99, box: [[1, 1], [50, 1], [50, 20], [1, 20]] },
    { text: 'world', confidence: 0.9, box: [[1, 30], [50, 30], [50, 50], [1, 50]] },
  ],
  result: '/assets/ocr1.png',
  width: 60,
  height: 60,
  timings: { detectMs: 10, directionMs: 2, recogniseMs: 30, totalMs: 42 },
  ms: 45,
};

function item(overrides: Partial<ModelJobItem>): ModelJobItem {
  return {
    id: 3,
    file: new File(['x'], 'holiday.png', { type: 'image/png' }),
    previewUrl: 'blob:preview/3',
    options: { model: 'esrgan' },
    status: 'queued',
    progress: 0,
    result: null,
    error: null,
    job: initialJobProgress(),
    ...overrides,
  };
}

describe('model-result-card', () => {
  it('renders an image-to-image result: comparison at one size, zoom, dimensions, time, download', () => {
    const wrapper = mount(ModelResultCard, {
      props: { item: item({ status: 'done', progress: 1, result: { task: 'image-to-image', file: upscaled } }) },
    });

    expect(wrapper.get('[data-testid="result-card"]').attributes('data-state')).toBe('done');
    expect(wrapper.get('[data-testid="result-image"]').attributes('src')).toBe('/assets/9f1c.png');
    expect(wrapper.get('img.before').attributes('src')).toBe('blob:preview/3');
    // The box takes the result's aspect ratio; both images fill it, so the original is scaled up.
    expect(wrapper.get('[data-testid="compare-view"]').attributes('style')).toContain('aspect-ratio: 1600 / 1200');
    expect(wrapper.findAll('[data-testid="zoom-button"]').map((b) => b.text())).toEqual(['1×', '2×', '4×']);

    expect(wrapper.get('[data-testid="dimensions"]').text()).toMatch(/400 × 300\s*to\s*1600 × 1200/);
    const text = wrapper.text();
    expect(text).toContain('×4');
    expect(text).toContain('240 kB → 3.1 MB');
    expect(text).toContain('4.2 s');
    const link = wrapper.get('[data-testid="download-link"]');
    expect(link.attributes('href')).toBe('/assets/9f1c.png');
    expect(link.attributes('download')).toBe('holiday-x4.png');
    expect(wrapper.find('[data-testid="label-row"]').exists()).toBe(false);
  });

  it('renders a classification result: labels best first, with percentages and bars', () => {
    const wrapper = mount(ModelResultCard, {
      props: { item: item({ status: 'done', result: { task: 'image-classification', file: classified } }) },
    });
    const rows = wrapper.findAll('[data-testid="label-row"]');
    expect(rows.map((r) => r.find('.label-name').text())).toEqual(['tiger cat', 'tabby', 'lynx']);
    expect(rows.map((r) => r.find('.label-score').text())).toEqual(['71%', '18%', '2.1%']);
    expect(rows[0]?.find('.fill').attributes('style')).toContain('width: 71%');
    expect(rows[0]?.classes()).toContain('best');
    expect(wrapper.find('[data-testid="download-link"]').exists()).toBe(false);
    expect(wrapper.text()).toContain('85 ms');
  });

  it('renders an OCR result: the original with its boxes, the lines, copy and downloads', () => {
    const wrapper = mount(ModelResultCard, {
      props: { item: item({ status: 'done', result: { task: 'ocr', file: read } }), task: 'ocr' },
    });
    expect(wrapper.get('[data-testid="result-card"]').attributes('data-state')).toBe('done');
    expect(wrapper.get('[data-testid="result-image"]').attributes('src')).toBe('blob:preview/3');
    expect(wrapper.findAll('[data-testid="ocr-box"]')).toHaveLength(2);
    expect(wrapper.findAll('[data-testid="ocr-line"]').map((l) => l.find('.line-text').text())).toEqual(['Hello', 'world']);
    expect(wrapper.find('[data-testid="copy-text"]').exists()).toBe(true);
    expect(wrapper.get('[data-testid="download-link"]').attributes('href')).toBe('/assets/ocr1.png');
    expect(wrapper.find('[data-testid="label-row"]').exists()).toBe(false);
  });

  it('counts text lines, not tiles, while an OCR job runs', () => {
    const wrapper = mount(ModelResultCard, {
      props: {
        task: 'ocr',
        item: item({
          status: 'processing',
          progress: 1,
          job: { state: 'running', position: 0, progress: 0.5, tilesDone: 4, tilesTotal: 8 },
        }),
      },
    });
    expect(wrapper.get('[data-testid="job-status"]').text()).toBe('50% · line 4 of 8');
  });

  it('shows the upload bar, then the job bar: queued (n ahead), then percent by tiles', async () => {
    const wrapper = mount(ModelResultCard, { props: { item: item({ status: 'uploading', progress: 0.4 }) } });
    expect(wrapper.get('[data-testid="result-card"]').attributes('data-state')).toBe('uploading');
    expect(wrapper.get('[role="progressbar"]').attributes('aria-valuenow')).toBe('40');
    expect(wrapper.find('[data-testid="job-progress"]').exists()).toBe(false);

    await wrapper.setProps({
      item: item({ status: 'processing', progress: 1, job: { ...initialJobProgress(), state: 'queued', position: 2, progress: 0 } }),
    });
    expect(wrapper.get('[data-testid="result-card"]').attributes('data-state')).toBe('processing');
    expect(wrapper.get('[data-testid="job-progress"]').attributes('aria-valuenow')).toBe('0');
    expect(wrapper.get('[data-testid="job-status"]').text()).toBe('Queued (2 ahead)');

    await wrapper.setProps({
      item: item({
        status: 'processing',
        progress: 1,
        job: { state: 'running', position: 0, progress: 0.375, tilesDone: 6, tilesTotal: 16 },
      }),
    });
    const bar = wrapper.get('[data-testid="job-progress"]');
    expect(bar.attributes('role')).toBe('progressbar');
    expect(bar.attributes('aria-valuenow')).toBe('38');
    expect(wrapper.get('[data-testid="job-status"]').text()).toBe('38% · tile 6 of 16');
  });

  it("shows a failure with the API's message, and emits retry and remove", async () => {
    const wrapper = mount(ModelResultCard, {
      props: { item: item({ status: 'error', error: 'The model is still loading.' }) },
    });
    expect(wrapper.get('[data-testid="result-card"]').attributes('data-state')).toBe('error');
    expect(wrapper.get('[data-testid="error-message"]').text()).toBe('The model is still loading.');
    await wrapper.get('button.button-primary').trigger('click');
    expect(wrapper.emitted('retry')).toEqual([[3]]);
    await wrapper.get('button[aria-label="Remove holiday.png"]').trigger('click');
    expect(wrapper.emitted('remove')).toEqual([[3]]);
  });
});
