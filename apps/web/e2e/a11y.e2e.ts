import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from './axe';
import { launchChromium } from './chromium';
import { PHOTOS_DIR, startStack, type Stack } from './stack';

const THEMES = ['light', 'dark'] as const;
const LOCALES = ['en', 'zh-CN'] as const;
const SR_MODEL = 'esrgan-slim-x2';

const done = (page: Page) => page.locator('[data-testid="result-card"][data-state="done"]');
const working = (page: Page) =>
  page.locator('[data-testid="result-card"][data-state="uploading"], [data-testid="result-card"][data-state="processing"]');

/** Holds every POST to `pattern` until `release()`, so a view can be checked while it is working. */
async function holdUploads(page: Page, pattern: string): Promise<{ release: () => void }> {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  // The route stays: once released it lets everything through.
  await page.route(pattern, async (route) => {
    if (route.request().method() === 'POST') await gate;
    await route.continue();
  });
  return { release: () => open() };
}

/** The page once the app has loaded the models and checked the API. */
async function openApp(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect.poll(() => page.locator('[data-testid="model-option"][data-status="ready"]').count(), { timeout: 30_000 }).toBe(2);
  await expect.poll(() => page.locator('.site-footer .status.checking').count(), { timeout: 10_000 }).toBe(0);
}

/** Checks the page, noting what axe finds in `failures` instead of throwing: one run lists every view's findings. */
async function softCheck(page: Page, label: string, failures: string[]): Promise<void> {
  try {
    await expectNoAxeViolations(page, label);
  } catch (error) {
    failures.push((error as Error).message);
  }
}

describe('accessibility: axe-core finds nothing on any view, in both themes and both languages', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    stack = await startStack({ models: `${SR_MODEL},ocr` });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function newContext(theme: (typeof THEMES)[number], locale: (typeof LOCALES)[number]): Promise<BrowserContext> {
    // bypassCSP: axe is injected as an inline script, which the app's CSP (rightly) refuses.
    return browser.newContext({ colorScheme: theme, locale, bypassCSP: true, viewport: { width: 1280, height: 1000 } });
  }

  for (const theme of THEMES) {
    for (const locale of LOCALES) {
      it(`every view, ${theme} theme, ${locale}`, async () => {
        const context = await newContext(theme, locale);
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        // Every view is checked before the test fails, so one run lists all that is wrong.
        const failures: string[] = [];
        const check = async (view: string) => {
          try {
            await softCheck(page, `${view} (${theme}, ${locale})`, failures);
          } catch (error) {
            failures.push((error as Error).message);
          }
        };

        // Compression: empty, working, done, error.
        await openApp(page, `${stack.url}/`);
        // The app takes its language from navigator.language.
        expect(await page.evaluate(() => document.documentElement.lang)).toBe(locale === 'en' ? 'en' : 'zh-CN');
        await check('compress, empty');

        const held = await holdUploads(page, '**/api/compress*');
        await page.getByTestId('file-input').setInputFiles(join(PHOTOS_DIR, 'chelsea.png'));
        await expect.poll(() => working(page).count(), { timeout: 15_000 }).toBe(1);
        await check('compress, working');
        held.release();
        await expect.poll(() => done(page).count(), { timeout: 60_000 }).toBe(1);
        await check('compress, done');

        await page.getByTestId('file-input').setInputFiles({
          name: 'notes.jpg',
          mimeType: 'image/jpeg',
          buffer: Buffer.from('these are my notes, not a photo'),
        });
        await expect
          .poll(() => page.locator('[data-testid="result-card"][data-state="error"]').count(), { timeout: 30_000 })
          .toBe(1);
        await check('compress, done and error');

        // Super-resolution: empty, working (its upload held), done.
        await page.locator(`[data-testid="model-option"][data-model="${SR_MODEL}"]`).click();
        await expect.poll(() => page.getByTestId('example-image').count(), { timeout: 10_000 }).toBe(3);
        await check('super-resolution, empty');
        const heldJob = await holdUploads(page, `**/api/models/${SR_MODEL}*`);
        await page.getByTestId('example-image').first().click();
        await expect.poll(() => working(page).count(), { timeout: 15_000 }).toBe(1);
        await check('super-resolution, working');
        heldJob.release();
        await expect.poll(() => done(page).count(), { timeout: 90_000 }).toBe(1);
        await check('super-resolution, done');
        // Zoomed, the comparison becomes a focusable group with its own label.
        await done(page).getByTestId('zoom-button').nth(1).click();
        await check('super-resolution, zoomed');

        // OCR: empty, done with its line list, a line focused.
        await page.locator('[data-testid="model-option"][data-model="ocr"]').click();
        await expect.poll(() => page.getByTestId('example-image').count(), { timeout: 10_000 }).toBe(3);
        await check('OCR, empty');
        await page.getByTestId('example-image').first().click();
        await expect.poll(() => done(page).count(), { timeout: 90_000 }).toBe(1);
        await done(page).getByTestId('ocr-line').nth(1).focus();
        await check('OCR, done');

        // A model that does not exist (a stale link).
        await page.goto(`${stack.url}/#/models/no-such-model`);
        await expect.poll(() => page.locator('.missing').count(), { timeout: 10_000 }).toBe(1);
        await check('unknown model');

        expect(failures.join('\n')).toBe('');
        expect(errors).toEqual([]);
        await context.close();
      });
    }
  }

  it('the API down: the model list and the status say so, and nothing else breaks', async () => {
    const failures: string[] = [];
    for (const theme of THEMES) {
      for (const locale of LOCALES) {
        const context = await newContext(theme, locale);
        const page = await context.newPage();
        await page.route('**/api/**', (route) => route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>Bad gateway</h1>' }));
        await page.goto(`${stack.url}/`);
        await expect.poll(() => page.locator('.note-error').count(), { timeout: 15_000 }).toBe(1);
        await expect.poll(() => page.locator('.site-footer .status.offline').count(), { timeout: 15_000 }).toBe(1);
        await softCheck(page, `API down (${theme}, ${locale})`, failures);
        await page.goto(`${stack.url}/#/models/ocr`);
        await expect.poll(() => page.locator('.loading-panel').count(), { timeout: 15_000 }).toBe(1);
        await softCheck(page, `API down, model page (${theme}, ${locale})`, failures);
        await context.close();
      }
    }
    expect(failures.join('\n')).toBe('');
  });

  it('the API-key prompt (the server answers 401 unauthorized, as one started with API_KEYS does)', async () => {
    const failures: string[] = [];
    for (const theme of THEMES) {
      for (const locale of LOCALES) {
        const context = await newContext(theme, locale);
        const page = await context.newPage();
        await page.route('**/api/models', (route) =>
          route.fulfill({
            status: 401,
            contentType: 'application/json',
            body: JSON.stringify({ statusCode: 401, error: 'unauthorized', message: 'A valid API key is required.' }),
          }),
        );
        await page.goto(`${stack.url}/`);
        await expect.poll(() => page.locator('#api-key-input').count(), { timeout: 15_000 }).toBe(1);
        await softCheck(page, `API-key prompt (${theme}, ${locale})`, failures);
        await page.locator('#api-key-input').fill('wrong-key');
        await softCheck(page, `API-key prompt, typed (${theme}, ${locale})`, failures);
        await context.close();
      }
    }
    expect(failures.join('\n')).toBe('');
  });

  it.skip('classification: no image-classification model ships in models/, so there is no view to check', () => {});
});
