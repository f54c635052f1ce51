import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import DropZone from './drop-zone.vue';

function dragEvent(type: string, files: File[]): Event {
  const event = new Event(type, { bubbles: true, cancelable: true });
  // happy-dom's DragEvent has no settable DataTransfer; the handlers only read these two fields.
  Object.defineProperty(event, 'dataTransfer', {
    value: { types: ['Files'], files, dropEffect: 'none' },
  });
  return event;
}

describe('drop-zone', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('has a labelled, multi-file image input that emits the picked files', async () => {
    const wrapper = mount(DropZone, { attachTo: document.body });
    const input = wrapper.get<HTMLInputElement>('[data-testid="file-input"]');
    expect(input.attributes('type')).toBe('file');
    expect(input.attributes('accept')).toBe('image/*');
    expect(input.attributes()).toHaveProperty('multiple');
    const label = wrapper.get(`label[for="${input.attributes('id')}"]`);
    expect(label.text()).toContain('Choose images');

    const picked = [new File(['a'], 'a.jpg'), new File(['b'], 'b.png')];
    Object.defineProperty(input.element, 'files', { value: picked, configurable: true });
    await input.trigger('change');
    expect(wrapper.emitted('files')).toEqual([[picked]]);
    wrapper.unmount();
  });

  it('opens the file picker on Enter too (Chromium opens a file input on Space only)', () => {
    const wrapper = mount(DropZone, { attachTo: document.body });
    const input = wrapper.get<HTMLInputElement>('[data-testid="file-input"]');
    let opened = 0;
    input.element.addEventListener('click', (event) => {
      opened += 1;
      event.preventDefault(); // no real picker in the test
    });
    const enter = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true });
    input.element.dispatchEvent(enter);
    expect(opened).toBe(1);
    expect(enter.defaultPrevented).toBe(true);
    // Held down, Enter repeats: one picker is enough.
    input.element.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', repeat: true, bubbles: true }));
    input.element.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true }));
    expect(opened).toBe(1);
    wrapper.unmount();
  });

  it('highlights the page while files are dragged over it and emits dropped files', async () => {
    const wrapper = mount(DropZone, { attachTo: document.body });
    const dropped = [new File(['a'], 'dropped.webp')];

    window.dispatchEvent(dragEvent('dragenter', dropped));
    await nextTick();
    expect(document.body.querySelector('.overlay')).not.toBeNull();
    expect(wrapper.get('.zone').classes()).toContain('dragging');

    const drop = dragEvent('drop', dropped);
    window.dispatchEvent(drop);
    await nextTick();
    expect(drop.defaultPrevented).toBe(true);
    expect(wrapper.emitted('files')).toEqual([[dropped]]);
    expect(wrapper.get('.zone').classes()).not.toContain('dragging');
    wrapper.unmount();
  });

  it('ignores drags that carry no files', async () => {
    const wrapper = mount(DropZone, { attachTo: document.body });
    const event = new Event('dragenter', { cancelable: true });
    Object.defineProperty(event, 'dataTransfer', { value: { types: ['text/plain'], files: [] } });
    window.dispatchEvent(event);
    await nextTick();
    expect(wrapper.get('.zone').classes()).not.toContain('dragging');
    wrapper.unmount();
  });
});
