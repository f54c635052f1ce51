import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage } from './chromium';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHOTOS_DIR, startStack, type Stack } from './stack';

const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const MODELS_DIR = fileURLToPath(new URL('../../../models/', import.meta.url));
const CARD = '[data-testid="status-card-text-direction"]';

/** POSTs one file as `the_file`, as a client of the API would, through nginx. */
async function post(url: string, file: Buffer, name: string): Promise<number> {
  const form = new FormData();
  form.append('the_file', new Blob([new Uint8Array(file)]), name);
  const response = await fetch(url, { method: 'POST', body: form });
  await response.arrayBuffer();
  return response.status;
}

/** The page fits its width: no horizontal scrolling. */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('the status page in a real browser, through nginx', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    stack = await startStack({ models: 'text-direction' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('before any traffic: the friendly empty state, the model ready', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/#/status`, { locale: 'en', viewport: { width: 1280, height: 900 } });
    await page.getByTestId('status-empty').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('status-empty').textContent()).toContain('No requests yet — figures appear here once the models get work.');
    expect(await page.locator(`${CARD} [data-testid="status-state"]`).textContent()).toBe('Ready');
    await page.screenshot({ path: join(SCREENSHOTS, 'status-empty-en.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('after a few requests, shows their figures as live charts, in English and Chinese, at desktop and phone width', async () => {
    const line = await readFile(join(MODELS_DIR, 'text-direction', 'line.png'));
    const photo = await readFile(join(PHOTOS_DIR, 'rocket.jpg'));
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push(await post(`${stack.url}/api/models/text-direction`, line, `line-${i}.png`));
    statuses.push(await post(`${stack.url}/api/models/text-direction`, Buffer.from('not an image'), 'notes.png'));
    statuses.push(await post(`${stack.url}/api/compress`, photo, 'rocket.jpg'));
    expect(statuses).toEqual([200, 200, 200, 200, 200, 415, 200]);

    const views = [
      // The peaks: a point's rates are over the minute before it, and on two cores a view may come a minute after the requests.
      { locale: 'en', file: 'status-en', requests: /^Requests per minute over the last 15 minutes: .*, peak 6\/min\.$/, errors: /peak 1\/min\.$/ },
      { locale: 'zh-CN', file: 'status-zh-CN', requests: /^最近 15 分钟的每分钟请求数：.*峰值 6 次\/分。$/, errors: /峰值 1 次\/分。$/ },
    ];
    for (const view of views) {
      for (const [width, suffix, colorScheme] of [[1280, '', 'light'], [390, '-390', 'dark']] as const) {
        const { page, errors } = await openPage(browser, `${stack.url}/#/status`, { locale: view.locale, viewport: { width, height: 900 }, colorScheme });
        const charts = page.locator(`${CARD} [data-testid="status-chart"]`);
        await expect.poll(() => charts.count(), { timeout: 30_000 }).toBe(4);
        // The figures in words (each chart's text alternative), and a canvas drawn for each.
        expect(await charts.nth(0).getAttribute('aria-label')).toMatch(view.requests);
        expect(await charts.nth(1).getAttribute('aria-label')).toMatch(view.errors);
        expect(await page.locator(`${CARD} canvas`).count()).toBe(4);
        const compressor = page.locator('[data-testid="status-card-compressor"] [data-testid="status-chart"]');
        await expect.poll(() => compressor.count()).toBe(3);
        expect(await page.getByTestId('status-empty').count()).toBe(0);
        expect(await overflow(page)).toBeLessThanOrEqual(0);
        expect(errors).toEqual([]);
        await page.screenshot({ path: join(SCREENSHOTS, `${view.file}${suffix}.png`), fullPage: true });
        await page.context().close();
      }
    }
  });
});
