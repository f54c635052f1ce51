import { MODEL_TASKS, type ModelSummary } from '@dlserve/shared';
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { modelSummary } from '../shared/testing/helpers';
import { findTaskView, modelBadge, TASK_VIEWS } from './tasks';

describe('task registry', () => {
  it.each(MODEL_TASKS)('has a view of %s: its result component, an icon and its texts', (task) => {
    const view = findTaskView(task);
    expect(view?.task).toBe(task);
    expect(view?.result).toBeTruthy();
    for (const [key, text] of Object.entries(view?.texts ?? {})) {
      expect(text, key).toMatch(/\S/);
    }
    expect(Object.keys(view?.texts ?? {}).sort()).toEqual(['empty', 'hint', 'label', 'step', 'verb']);
    const icon = mount(view!.icon);
    expect(icon.find('svg').exists()).toBe(true);
    expect(icon.get('svg').attributes('aria-hidden')).toBe('true');
  });

  it('lists only the contract’s tasks, each with its own icon and label', () => {
    expect(Object.keys(TASK_VIEWS).sort()).toEqual([...MODEL_TASKS].sort());
    const views = Object.values(TASK_VIEWS);
    expect(new Set(views.map((view) => view.icon)).size).toBe(views.length);
    expect(new Set(views.map((view) => mount(view.icon).html())).size).toBe(views.length);
    expect(new Set(views.map((view) => view.texts.label)).size).toBe(views.length);
  });

  it('knows nothing of a task a newer server may list', () => {
    expect(findTaskView('depth-estimation')).toBeUndefined();
    expect(findTaskView('toString')).toBeUndefined();
  });

  it('badges a model with its task, or what the task says about it', () => {
    expect(modelBadge(modelSummary({ task: 'image-to-image', scale: 4 }))).toBe('Upscale ×4');
    expect(modelBadge(modelSummary({ task: 'image-to-image', scale: 1 }))).toBe('Image → image');
    expect(modelBadge(modelSummary({ task: 'image-classification', topK: 5 }))).toBe('Classification');
    expect(modelBadge(modelSummary({ task: 'ocr' }))).toBe('Text recognition');
    expect(modelBadge(modelSummary({ task: 'depth-estimation' as ModelSummary['task'] }))).toBe('depth-estimation');
  });
});
