import type { OcrFile } from '@dlserve/shared';
import { mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { stubObjectUrls } from '../../shared/testing/helpers';
import OcrResult from './ocr-result.vue';

const receipt: OcrFile = {
  name: 'receipt.jpg',
  text: '小票 No. 0042\nCoffee 3.50\nTota1 3.5O',
  lines: [
    { text: '小票 No. 0042', confidence: 0.981, box: [[40, 20], [360, 20], [360, 64], [40, 64]] },
    { text: 'Coffee 3.50', confidence: 0.934, box: [[40, 90], [300, 92], [300, 130], [40, 128]] },
    { text: 'Tota1 3.5O', confidence: 0.612, box: [[40, 150], [280, 150], [280, 188], [40, 188]] },
  ],
  result: '/assets/ab12.png',
  width: 400,
  height: 240,
  timings: { detectMs: 120, directionMs: 8, recogniseMs: 345, totalMs: 480 },
  ms: 495,
};

let wrapper: VueWrapper | null = null;

function setup(file: OcrFile = receipt) {
  wrapper = mount(OcrResult, {
    props: { file, before: 'blob:preview/7', name: 'receipt.jpg' },
    attachTo: document.body,
  });
  return wrapper;
}

const lineClasses = (w: VueWrapper) => w.findAll('[data-testid="ocr-line"]').map((l) => l.classes('active'));
const boxClasses = (w: VueWrapper) => w.findAll('[data-testid="ocr-box"]').map((b) => b.classes('active'));

describe('ocr-result', () => {
  beforeEach(() => {
    stubObjectUrls('blob:text/');
  });

  afterEach(() => {
    wrapper?.unmount();
    wrapper = null;
    vi.restoreAllMocks();
    vi.useRealTimers();
    Reflect.deleteProperty(navigator, 'clipboard');
    document.body.innerHTML = '';
  });

  it('lists the lines in reading order, tagged with the language of the text', () => {
    const w = setup();
    const lines = w.findAll('[data-testid="ocr-line"]');
    expect(lines.map((l) => l.find('.line-text').text())).toEqual(['小票 No. 0042', 'Coffee 3.50', 'Tota1 3.5O']);
    expect(lines.map((l) => l.attributes('data-index'))).toEqual(['0', '1', '2']);
    expect(w.get('ol').attributes('lang')).toBe('zh-Hans');
    expect(w.text()).toContain('3 lines');
  });

  it('shows each confidence as a small percentage, and marks the doubtful lines', () => {
    const w = setup();
    const confidences = w.findAll('[data-testid="ocr-confidence"]');
    expect(confidences.map((c) => c.text().replace(/^, confidence\s*/, ''))).toEqual(['98%', '93%', '61%']);
    expect(w.findAll('[data-testid="ocr-line"]').map((l) => l.classes('low'))).toEqual([false, false, true]);
    expect(w.findAll('[data-testid="ocr-box"]').map((b) => b.classes('low'))).toEqual([false, false, true]);
    expect(confidences[2]?.attributes('title')).toMatch(/low confidence/i);
    expect(w.text()).toContain('1 uncertain');
  });

  it('draws the boxes over the original in image pixels: the viewBox is the image size', () => {
    const w = setup();
    expect(w.get('[data-testid="result-image"]').attributes('src')).toBe('blob:preview/7');
    const overlay = w.get('[data-testid="ocr-overlay"]');
    expect(overlay.attributes('viewBox')).toBe('0 0 400 240');
    expect(overlay.attributes('preserveAspectRatio')).toBe('none');
    expect(w.findAll('[data-testid="ocr-box"]').map((b) => b.attributes('points'))).toEqual([
      '40,20 360,20 360,64 40,64',
      '40,90 300,92 300,130 40,128',
      '40,150 280,150 280,188 40,188',
    ]);
    expect(w.get('.frame').attributes('style')).toContain('aspect-ratio: 400 / 240');
  });

  it('falls back to the annotated image when the browser cannot show the original', async () => {
    const w = setup();
    await w.get('[data-testid="result-image"]').trigger('error');
    expect(w.get('[data-testid="result-image"]').attributes('src')).toBe('/assets/ab12.png');
  });

  it('highlights a line’s box when the line is hovered, and the line when its box is hovered', async () => {
    const w = setup();
    expect(boxClasses(w)).toEqual([false, false, false]);

    await w.findAll('[data-testid="ocr-line"]')[1]!.trigger('mouseenter');
    expect(boxClasses(w)).toEqual([false, true, false]);
    expect(lineClasses(w)).toEqual([false, true, false]);
    await w.findAll('[data-testid="ocr-line"]')[1]!.trigger('mouseleave');
    expect(boxClasses(w)).toEqual([false, false, false]);

    await w.findAll('[data-testid="ocr-box"]')[2]!.trigger('mouseenter');
    expect(lineClasses(w)).toEqual([false, false, true]);
    expect(boxClasses(w)).toEqual([false, false, true]);
    await w.findAll('[data-testid="ocr-box"]')[2]!.trigger('mouseleave');
    expect(lineClasses(w)).toEqual([false, false, false]);
  });

  it('is keyboard accessible: one line in the tab order, focus highlights, arrows and Enter move', async () => {
    const w = setup();
    const lines = () => w.findAll<HTMLLIElement>('[data-testid="ocr-line"]');
    expect(lines().map((l) => l.attributes('tabindex'))).toEqual(['0', '-1', '-1']);

    lines()[0]!.element.focus();
    await w.vm.$nextTick();
    expect(boxClasses(w)).toEqual([true, false, false]);

    await lines()[0]!.trigger('keydown', { key: 'ArrowDown' });
    expect(document.activeElement).toBe(lines()[1]!.element);
    expect(boxClasses(w)).toEqual([false, true, false]);
    expect(lines().map((l) => l.attributes('tabindex'))).toEqual(['-1', '0', '-1']);

    await lines()[1]!.trigger('keydown', { key: 'Enter' });
    expect(document.activeElement).toBe(lines()[2]!.element);
    await lines()[2]!.trigger('keydown', { key: 'Enter' });
    expect(document.activeElement).toBe(lines()[2]!.element);
    await lines()[2]!.trigger('keydown', { key: 'Home' });
    expect(document.activeElement).toBe(lines()[0]!.element);
    await lines()[0]!.trigger('keydown', { key: 'ArrowUp' });
    expect(document.activeElement).toBe(lines()[0]!.element);

    // Clicking a box takes the keyboard to its line.
    await w.findAll('[data-testid="ocr-box"]')[1]!.trigger('click');
    expect(document.activeElement).toBe(lines()[1]!.element);
  });

  it('copies the whole text with the Clipboard API and confirms briefly', async () => {
    vi.useFakeTimers();
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const w = setup();

    const button = w.get('[data-testid="copy-text"]');
    expect(button.text()).toBe('Copy text');
    await button.trigger('click');
    await vi.waitFor(() => expect(w.get('[data-testid="copy-text"]').text()).toBe('Copied'));
    expect(writeText).toHaveBeenCalledWith(receipt.text);
    expect(w.get('[role="status"]').text()).toBe('Copied');

    await vi.advanceTimersByTimeAsync(2100);
    expect(w.get('[data-testid="copy-text"]').text()).toBe('Copy text');
  });

  it('selects the text for a manual copy when no clipboard works', async () => {
    Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
    Object.defineProperty(document, 'execCommand', { value: () => false, configurable: true });
    const w = setup();
    await w.get('[data-testid="copy-text"]').trigger('click');
    await vi.waitFor(() => expect(w.text()).toMatch(/press Ctrl\+C/i));
    expect(window.getSelection()?.toString()).toContain('Coffee 3.50');
    Reflect.deleteProperty(document, 'execCommand');
  });

  it('shows the time of each stage and links the annotated image and the text file', () => {
    const w = setup();
    const timings = w.get('.timings').text();
    expect(timings).toMatch(/Detect\s*120 ms/);
    expect(timings).toMatch(/Direction\s*8 ms/);
    expect(timings).toMatch(/Recognise\s*345 ms/);
    expect(timings).toMatch(/Total\s*480 ms/);

    const image = w.get('[data-testid="download-link"]');
    expect(image.attributes('href')).toBe('/assets/ab12.png');
    expect(image.attributes('download')).toBe('receipt-ocr.png');
    const text = w.get('[data-testid="download-text"]');
    expect(text.attributes('href')).toBe('blob:text/1');
    expect(text.attributes('download')).toBe('receipt.txt');
    const blob = vi.mocked(URL.createObjectURL).mock.calls[0]?.[0] as Blob;
    expect(blob.type).toBe('text/plain;charset=utf-8');

    w.unmount();
    wrapper = null;
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:text/1');
  });

  it('says so when no text was found, with nothing to copy', () => {
    const w = setup({ ...receipt, text: '', lines: [] });
    expect(w.find('[data-testid="ocr-line"]').exists()).toBe(false);
    expect(w.text()).toContain('No text was found');
    expect(w.get('[data-testid="copy-text"]').attributes()).toHaveProperty('disabled');
  });
});
