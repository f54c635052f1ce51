import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium, openPage } from './chromium';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHOTOS_DIR, startStack, type Stack } from './stack';

const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));

describe('the upload page in a real browser, through nginx', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    stack = await startStack({ models: 'esrgan-slim-x2,ocr' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('uploads two images with the file input and shows both results, loaded from /assets/', async () => {
    // nginx sends the same CSP as the API: anything it blocks is reported on the console.
    const { page, errors } = await openPage(browser, `${stack.url}/`);

    await page.getByTestId('file-input').setInputFiles([join(PHOTOS_DIR, 'chelsea.png'), join(PHOTOS_DIR, 'rocket.jpg')]);
    const done = page.locator('[data-testid="result-card"][data-state="done"]');
    await expect.poll(() => done.count(), { timeout: 60_000 }).toBe(2);

    const images = page.getByTestId('result-image');
    await expect.poll(() => images.count()).toBe(2);
    for (const image of await images.all()) {
      expect(await image.getAttribute('src')).toMatch(/^\/assets\//);
      await expect
        .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 10_000 })
        .toBeGreaterThan(0);
    }
    const downloads = await page.getByTestId('download-link').evaluateAll((links) =>
      links.map((link) => link.getAttribute('href')),
    );
    expect(downloads).toHaveLength(2);
    for (const href of downloads) expect(href).toMatch(/^\/assets\//);

    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'upload-results.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('runs a model from its example image, with a real progress bar, and shows the larger result', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/`);
    await page.locator('[data-testid="model-option"][data-model="esrgan-slim-x2"]').click();
    expect(page.url()).toMatch(/#\/models\/esrgan-slim-x2$/);

    const examples = page.getByTestId('example-image');
    await expect.poll(() => examples.count()).toBe(3);
    await examples.first().click();

    const progress = page.getByTestId('job-progress');
    await expect.poll(() => progress.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const done = page.locator('[data-testid="result-card"][data-state="done"]');
    await expect.poll(() => done.count(), { timeout: 60_000 }).toBe(1);
    const image = done.getByTestId('result-image');
    await expect
      .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 10_000 })
      .toBe(320); // the 160-px example, doubled
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'model-result.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('reads the text of an OCR example, with each line linked to its box', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/#/models/ocr`, { viewport: { width: 1280, height: 1100 } });
    const examples = page.getByTestId('example-image');
    await expect.poll(() => examples.count(), { timeout: 20_000 }).toBe(3);
    await examples.first().click(); // the receipt

    const done = page.locator('[data-testid="result-card"][data-state="done"]');
    await expect.poll(() => done.count(), { timeout: 60_000 }).toBe(1);
    const lines = done.getByTestId('ocr-line');
    await expect.poll(() => lines.count()).toBeGreaterThanOrEqual(7);
    expect(await lines.first().textContent()).toContain('CORNER CAFE');
    expect(await done.getByTestId('ocr-box').count()).toBe(await lines.count());

    // Hovering a line marks its box (and only its box).
    const total = lines.filter({ hasText: 'TOTAL' }).first();
    await total.hover();
    const index = await total.getAttribute('data-index');
    const box = done.locator(`[data-testid="ocr-box"][data-index="${index}"]`);
    const other = done.locator('[data-testid="ocr-box"]:not([data-index="' + index + '"])').first();
    const style = (locator: typeof box) => locator.evaluate((element) => getComputedStyle(element).stroke + ' ' + getComputedStyle(element).opacity);
    expect(await style(box)).not.toBe(await style(other));

    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'ocr-result.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens the API reference from the footer: Swagger UI lists the routes, under the same CSP', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/`, { consoleErrors: 'all' });
    await page.getByRole('link', { name: 'API docs' }).click();
    await page.waitForURL(/\/api\/docs/);
    const operations = page.locator('.opblock-summary-path');
    await expect.poll(() => operations.count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(12);
    expect(await operations.allTextContents()).toContain('/api/compress');
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'api-docs.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the API’s message on the card of a file that is not an image', async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.url}/`);
    await page.getByTestId('file-input').setInputFiles({
      name: 'notes.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.from('these are my notes, not a photo'),
    });
    const card = page.locator('[data-testid="result-card"][data-state="error"]');
    await expect.poll(() => card.count(), { timeout: 30_000 }).toBe(1);
    expect(await card.getByTestId('error-message').textContent()).toMatch(/not an image/i);
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'upload-error.png'), fullPage: true });
    await page.close();
  });
});
