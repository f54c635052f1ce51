import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import CompareSlider from './compare-slider.vue';

const props = { before: 'blob:a', after: '/assets/b.png', width: 800, height: 600, name: 'cat.png' };

function transforms(wrapper: ReturnType<typeof mount>): (string | undefined)[] {
  return wrapper.findAll('img').map((img) => (img.element as HTMLImageElement).style.transform || undefined);
}

describe('compare-slider', () => {
  it('has no zoom unless asked for', () => {
    const wrapper = mount(CompareSlider, { props });
    expect(wrapper.find('[data-testid="zoom-button"]').exists()).toBe(false);
    expect(wrapper.get('input[type="range"]').attributes('aria-label')).toBe(
      'Compare original and compressed cat.png',
    );
  });

  it('zooms both images together and pans them with the keyboard, within the image', async () => {
    const wrapper = mount(CompareSlider, { props: { ...props, zoomable: true, result: 'processed' } });
    const view = wrapper.get('[data-testid="compare-view"]');
    expect(view.attributes('tabindex')).toBeUndefined();
    expect(transforms(wrapper)).toEqual([undefined, undefined]);

    const [, twice] = wrapper.findAll('[data-testid="zoom-button"]');
    await twice!.trigger('click');
    expect(twice!.attributes('aria-pressed')).toBe('true');
    expect(transforms(wrapper)).toEqual([
      'translate(-50%, -50%) scale(2)',
      'translate(-50%, -50%) scale(2)',
    ]);
    expect(view.attributes('tabindex')).toBe('0');

    await view.trigger('keydown', { key: 'ArrowRight' });
    expect(transforms(wrapper)[0]).toBe('translate(-60%, -50%) scale(2)');
    // Panning stops at the image's edge.
    for (let i = 0; i < 10; i += 1) await view.trigger('keydown', { key: 'ArrowRight' });
    expect(transforms(wrapper)).toEqual([
      'translate(-100%, -50%) scale(2)',
      'translate(-100%, -50%) scale(2)',
    ]);

    await view.trigger('keydown', { key: '0' });
    expect(transforms(wrapper)).toEqual([undefined, undefined]);
    expect(wrapper.get('img.before').attributes('alt')).toBe('Original cat.png');
    expect(wrapper.get('[data-testid="result-image"]').attributes('alt')).toBe('Processed cat.png');
  });

  it('is a 0–100 slider for the keyboard too: its value says what shows, and the divider follows it', async () => {
    const wrapper = mount(CompareSlider, { props });
    const range = wrapper.get<HTMLInputElement>('input[type="range"]');
    // A native range: arrows, PageUp/PageDown, Home and End come with it (checked in the browser test).
    expect([range.attributes('min'), range.attributes('max'), range.attributes('step')]).toEqual(['0', '100', '1']);
    expect(range.attributes('aria-valuetext')).toBe('50% original, 50% result');
    await range.setValue('100');
    expect(range.attributes('aria-valuetext')).toBe('100% original, 0% result');
    expect(wrapper.get('.divider').attributes('style')).toContain('left: 100%');
    await range.setValue('0');
    expect(range.attributes('aria-valuetext')).toBe('0% original, 100% result');
    expect(wrapper.get('.divider').attributes('style')).toContain('left: 0%');
  });

  it('keeps the comparison split outside the zoom', async () => {
    const wrapper = mount(CompareSlider, { props: { ...props, zoomable: true } });
    await wrapper.get('input[type="range"]').setValue('30');
    const panes = wrapper.findAll('.pane');
    expect(panes[1]?.attributes('style')).toContain('inset(0 70% 0 0)');
  });
});
