import { afterEach, describe, expect, it, vi } from 'vitest';
import { copyText } from './clipboard';

function stubClipboard(writeText: ((text: string) => Promise<void>) | undefined): void {
  Object.defineProperty(navigator, 'clipboard', {
    value: writeText ? { writeText } : undefined,
    configurable: true,
  });
}

describe('copyText', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    Reflect.deleteProperty(navigator, 'clipboard');
    Reflect.deleteProperty(document, 'execCommand');
  });

  it('uses the Clipboard API when there is one', async () => {
    const writeText = vi.fn(async () => undefined);
    stubClipboard(writeText);
    await expect(copyText('第一行\nsecond')).resolves.toBe(true);
    expect(writeText).toHaveBeenCalledWith('第一行\nsecond');
  });

  it('falls back to a selected textarea when the API is missing or refuses, and cleans up', async () => {
    const copied: string[] = [];
    const execCommand = vi.fn((command: string) => {
      const area = document.querySelector('textarea');
      if (command === 'copy' && area) copied.push(area.value);
      return true;
    });
    Object.defineProperty(document, 'execCommand', { value: execCommand, configurable: true });

    stubClipboard(undefined);
    await expect(copyText('plain http')).resolves.toBe(true);
    stubClipboard(async () => {
      throw new DOMException('denied', 'NotAllowedError');
    });
    await expect(copyText('denied')).resolves.toBe(true);

    expect(copied).toEqual(['plain http', 'denied']);
    expect(document.querySelector('textarea')).toBeNull();
  });

  it('reports failure when nothing can copy', async () => {
    stubClipboard(undefined);
    Object.defineProperty(document, 'execCommand', { value: () => false, configurable: true });
    await expect(copyText('x')).resolves.toBe(false);
  });
});
