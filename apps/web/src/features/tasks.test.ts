import { MODEL_TASKS, type ModelSummary } from '@dlserve/shared';
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { modelSummary } from '../shared/testing/helpers';
import { createAppI18n, type Locale, type Translate } from '../shared/i18n';
import { createFormatters } from '../shared/utils/use-format';
import { describeResult, findTaskView, modelBadge, TASK_VIEWS } from './tasks';

function i18nIn(locale: Locale) {
  const { global } = createAppI18n(locale);
  const t = global.t as Translate;
  return { t, format: createFormatters(t, () => locale) };
}
const i18n = i18nIn('en');

describe('task registry', () => {
  it.each(MODEL_TASKS)('has a view of %s: its result component, an icon and its texts', (task) => {
    const view = findTaskView(task);
    expect(view?.task).toBe(task);
    expect(view?.result).toBeTruthy();
    for (const locale of ['en', 'zh'] as const) {
      const texts = view!.texts(i18nIn(locale));
      for (const [key, text] of Object.entries(texts)) {
        const value = typeof text === 'function' ? text('Model', 4) : text;
        expect(value, `${locale} ${key}`).toMatch(/\S/);
      }
      expect(Object.keys(texts).sort()).toEqual(['dropTitle', 'empty', 'hint', 'label', 'overlay', 'steps']);
    }
    const icon = mount(view!.icon);
    expect(icon.find('svg').exists()).toBe(true);
    expect(icon.get('svg').attributes('aria-hidden')).toBe('true');
  });

  it('lists only the contract’s tasks, each with its own icon and label', () => {
    expect(Object.keys(TASK_VIEWS).sort()).toEqual([...MODEL_TASKS].sort());
    const views = Object.values(TASK_VIEWS);
    expect(new Set(views.map((view) => view.icon)).size).toBe(views.length);
    expect(new Set(views.map((view) => mount(view.icon).html())).size).toBe(views.length);
    expect(new Set(views.map((view) => view.texts(i18n).label)).size).toBe(views.length);
  });

  it('knows nothing of a task a newer server may list', () => {
    expect(findTaskView('depth-estimation')).toBeUndefined();
    expect(findTaskView('toString')).toBeUndefined();
  });

  it('badges a model with its task, or what the task says about it', () => {
    expect(modelBadge(i18n, modelSummary({ task: 'image-to-image', scale: 4 }))).toBe('Upscale ×4');
    expect(modelBadge(i18n, modelSummary({ task: 'image-to-image', scale: 1 }))).toBe('Image → image');
    expect(modelBadge(i18n, modelSummary({ task: 'image-classification', topK: 5 }))).toBe('Classification');
    expect(modelBadge(i18n, modelSummary({ task: 'ocr' }))).toBe('Text recognition');
    expect(modelBadge(i18n, modelSummary({ task: 'depth-estimation' as ModelSummary['task'] }))).toBe('depth-estimation');
  });

  it('says a task in Chinese, the plural of OCR lines included', () => {
    const zh = i18nIn('zh');
    expect(modelBadge(zh, modelSummary({ task: 'image-to-image', scale: 4 }))).toBe('放大 ×4');
    expect(modelBadge(zh, modelSummary({ task: 'ocr' }))).toBe('文字识别');
    expect(TASK_VIEWS.ocr.texts(zh).steps(4, 8)).toBe('第 4/8 行');
    const ocr = (count: number) => ({
      task: 'ocr' as const,
      file: { lines: Array.from({ length: count }, () => ({ text: 'x', confidence: 1, box: [] })) } as never,
    });
    expect(describeResult(zh, 'a.png', ocr(0))).toBe('a.png：没有找到文字。');
    expect(describeResult(zh, 'a.png', ocr(3))).toBe('a.png：识别出 3 行文字。');
    expect(describeResult(i18n, 'a.png', ocr(1))).toBe('a.png: 1 line of text recognised.');
    expect(describeResult(i18n, 'a.png', ocr(3))).toBe('a.png: 3 lines of text recognised.');
  });
});
