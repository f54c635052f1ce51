import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage } from './chromium';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../src/shared/i18n/messages';
import { PHOTOS_DIR, startStack, type Stack } from './stack';

const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));

function leaves(tree: object, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [[prefix + key, value] as [string, string]] : leaves(value as object, `${prefix}${key}.`),
  );
}

/**
 * The English UI strings a Chinese page must not show: each English message that differs from
 * its Chinese one, cut at its placeholders and plural forms into the literal pieces worth looking
 * for (four letters or more, so "to" or "px" do not match inside a file name).
 */
const ENGLISH_PIECES: string[] = (() => {
  const zh = new Map(leaves(messages.zh));
  const pieces = new Set<string>();
  for (const [key, text] of leaves(messages.en)) {
    const chinese = zh.get(key) ?? '';
    if (chinese === text) continue;
    for (const piece of text.split(/\{[^}]*\}|\|/)) {
      const trimmed = piece.trim().replace(/^[,.:;()·]+|[,.:;()·]+$/g, '').trim();
      // A name the Chinese keeps too ("dlserve", "API") is not English left behind.
      if (/[A-Za-z]{4}/.test(trimmed) && !chinese.includes(trimmed)) pieces.add(trimmed);
    }
  }
  return [...pieces];
})();

/**
 * The page's text as written (`textContent`: what screen readers read too, and not upper-cased by
 * CSS as `innerText` would be), less what comes from the server as is (a model's source notes, file names).
 */
async function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const copy = document.body.cloneNode(true) as HTMLElement;
    for (const element of copy.querySelectorAll('.notes, h3.name, script, style')) element.remove();
    return copy.textContent ?? '';
  });
}

function englishLeft(text: string): string[] {
  return ENGLISH_PIECES.filter((piece) => text.includes(piece));
}

describe('the page in Chinese, in a real browser through nginx', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    stack = await startStack({ models: 'esrgan-slim-x2' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('opens in Chinese for a zh-CN browser, compresses and shows a model without English left, and switches to English for good', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/`, { locale: 'zh-CN' });

    // The language comes from the browser.
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await expect.poll(() => page.title()).toBe('压缩图片 — dlserve');
    expect(await page.locator('.zone h2').textContent()).toBe('拖放图片到页面任意位置');
    expect(await page.locator('label.pick').textContent()).toContain('选择图片');

    // Compress an image: its card and the summary speak Chinese.
    await page.getByTestId('file-input').setInputFiles([join(PHOTOS_DIR, 'chelsea.png')]);
    const done = page.locator('[data-testid="result-card"][data-state="done"]');
    await expect.poll(() => done.count(), { timeout: 60_000 }).toBe(1);
    const card = await done.first().innerText();
    expect(card).toContain('完成');
    expect(card).toContain('耗时');
    expect(card).toMatch(/小了 \d+%|大了 \d+%|大小不变|小了不到 1%/);
    expect(card).toMatch(/\d(\.\d+)?(毫秒|秒)/);
    expect(await page.getByTestId('summary').innerText()).toMatch(/^1 个文件：/);
    expect(await page.locator('.results h2').textContent()).toBe('处理结果');
    expect(englishLeft(await visibleText(page))).toEqual([]);
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'i18n-zh-compress.png'), fullPage: true });

    // A model's page: its title and description from the manifest, in Chinese.
    await page.locator('[data-testid="model-option"][data-model="esrgan-slim-x2"]').click();
    await expect.poll(() => page.locator('#model-title').textContent()).toBe('ESRGAN 轻量 ×2');
    expect(await page.locator('.description').textContent()).toContain('放大到 2 倍');
    expect(await page.locator('.examples-title').textContent()).toBe('试试示例图片');
    await expect.poll(() => page.locator('.zone h2').textContent()).toBe('拖放图片到这里，用 ESRGAN 轻量 ×2 处理');
    await expect.poll(() => page.title()).toBe('ESRGAN 轻量 ×2 — dlserve');
    expect(englishLeft(await visibleText(page))).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'i18n-zh-model.png'), fullPage: true });

    // The header's switch: English at once, and still after a reload.
    await page.locator('.locale-switch select').selectOption('en');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    await expect.poll(() => page.locator('#model-title').textContent()).toBe('ESRGAN slim ×2');
    expect(await page.locator('.examples-title').textContent()).toBe('Try an example');
    await page.reload();
    await expect.poll(() => page.locator('#model-title').textContent(), { timeout: 20_000 }).toBe('ESRGAN slim ×2');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await page.locator('.zone h2').textContent()).toBe('Drop images to process with ESRGAN slim ×2');
    expect(await page.title()).toBe('ESRGAN slim ×2 — dlserve');
    // The scan that found no English above finds it here.
    expect(englishLeft(await visibleText(page))).toEqual(expect.arrayContaining(['Try an example', 'Licence']));
    await page.screenshot({ path: join(SCREENSHOTS, 'i18n-en-model.png'), fullPage: true });

    expect(errors).toEqual([]);
    await page.context().close();
  });
});
