import { join } from 'node:path';
import type { ModelListResponse, ModelSummary } from '@dlserve/shared';
import type { Browser, BrowserContext, FileChooser, Page } from 'playwright-core';
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

describe('accessibility in a real browser, through nginx: axe on every view, the keyboard, screen readers, a phone', () => {
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

  /** What the focused element shows as its focus ring: its outline, or its visible stand-in's. */
  function focusRing(page: Page) {
    return page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element || element === document.body) return null;
      const describe = `${element.tagName.toLowerCase()}${element.dataset.testid ? `[${element.dataset.testid}]` : ''}${element.className && typeof element.className === 'string' ? `.${element.className.split(' ').join('.')}` : ''}`;
      // Stand-ins: the hidden file input's label is its button; the invisible range's handle is the slider.
      let shown: Element = element;
      if (element.matches('input[type="file"]')) shown = element.nextElementSibling ?? element;
      if (element.matches('.compare input[type="range"]')) shown = element.closest('.compare')?.querySelector('.handle') ?? element;
      // Read the ring as it ends, not part-way through a transition.
      for (const animation of shown.getAnimations()) animation.finish();
      const style = getComputedStyle(shown);
      const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
      const ringed = style.boxShadow !== 'none' && /\b[3-9]px\b/.test(style.boxShadow);
      return { element: describe, visible: outlined || ringed };
    });
  }

  /** Presses Tab until `matches` holds for the focused element (at most `limit` presses). */
  async function tabTo(page: Page, selector: string, limit = 60): Promise<void> {
    for (let i = 0; i < limit; i += 1) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    }
    throw new Error(`Tab never reached ${selector}`);
  }

  it('works by keyboard: the file picker, the tool tabs, the compare slider, an example, the OCR lines', async () => {
    const context = await newContext('light', 'en');
    const page = await context.newPage();
    // Listening from the start: Playwright only intercepts the picker once a listener is on.
    const choosers: FileChooser[] = [];
    page.on('filechooser', (opened) => choosers.push(opened));
    await openApp(page, `${stack.url}/`);

    // Each task has its own icon in the picker.
    const icons = await page.locator('[role="tab"] .tab-icon').evaluateAll((spans) => spans.map((span) => span.innerHTML.replace(/data-v-\w+=""/g, '')));
    expect(icons).toHaveLength(3);
    expect(new Set(icons).size).toBe(3);

    // The file picker: reached with Tab, opened with Enter, then with Space.
    await tabTo(page, '[data-testid="file-input"]');
    expect((await focusRing(page))?.visible).toBe(true);
    const chooser = async (key: string) => {
      const before = choosers.length;
      await page.keyboard.press(key);
      await expect.poll(() => choosers.length, { timeout: 10_000 }).toBe(before + 1);
      return choosers[before]!;
    };
    await (await chooser('Enter')).setFiles(join(PHOTOS_DIR, 'chelsea.png'));
    await expect.poll(() => done(page).count(), { timeout: 60_000 }).toBe(1);
    await page.getByTestId('file-input').focus();
    await (await chooser(' ')).setFiles(join(PHOTOS_DIR, 'rocket.jpg'));
    await expect.poll(() => done(page).count(), { timeout: 60_000 }).toBe(2);

    // The compare slider: arrows, PageUp/PageDown, Home/End.
    await tabTo(page, '.compare input[type="range"]');
    expect((await focusRing(page))?.visible).toBe(true);
    const slider = page.locator('.compare input[type="range"]:focus');
    const value = () => slider.evaluate((input: HTMLInputElement) => [input.value, input.getAttribute('aria-valuetext')]);
    expect(await value()).toEqual(['50', '50% original, 50% result']);
    await page.keyboard.press('ArrowRight');
    expect((await value())[0]).toBe('51');
    await page.keyboard.press('PageUp');
    expect((await value())[0]).toBe('61');
    await page.keyboard.press('PageDown');
    await page.keyboard.press('ArrowLeft');
    expect((await value())[0]).toBe('50');
    await page.keyboard.press('End');
    expect(await value()).toEqual(['100', '100% original, 0% result']);
    await page.keyboard.press('Home');
    expect((await value())[0]).toBe('0');
    // The divider follows.
    expect(await page.locator('.compare:has(input:focus) .divider').getAttribute('style')).toContain('left: 0%');

    // The tool tabs: arrows select the next tool, Home and End the ends.
    await page.getByTestId('compress-option').focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.url()).toMatch(/#\/models\/esrgan-slim-x2$/);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-model'))).toBe('esrgan-slim-x2');
    await page.keyboard.press('End');
    await expect.poll(() => page.url()).toMatch(/#\/models\/ocr$/);
    await page.keyboard.press('Home');
    await expect.poll(() => page.url()).toMatch(/#\/compress$|\/$/);
    await page.keyboard.press('End');
    await expect.poll(() => page.url()).toMatch(/#\/models\/ocr$/);

    // An example, run with Enter; then the line list.
    await tabTo(page, '[data-testid="example-image"]');
    expect((await focusRing(page))?.visible).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => done(page).count(), { timeout: 90_000 }).toBe(1);
    await tabTo(page, '[data-testid="ocr-line"]');
    const focusedLine = () => page.evaluate(() => document.activeElement?.getAttribute('data-index'));
    const activeBox = () => page.locator('[data-testid="ocr-box"].active').getAttribute('data-index');
    expect(await focusedLine()).toBe('0');
    expect(await activeBox()).toBe('0');
    expect((await focusRing(page))?.visible).toBe(true);
    await page.keyboard.press('ArrowDown');
    expect(await focusedLine()).toBe('1');
    expect(await activeBox()).toBe('1');
    await page.keyboard.press('End');
    const last = String((await page.getByTestId('ocr-line').count()) - 1);
    expect(await focusedLine()).toBe(last);
    expect(await activeBox()).toBe(last);
    await page.keyboard.press('Home');
    expect(await focusedLine()).toBe('0');
    // The list is one Tab stop: Tab goes on to what follows it.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).not.toBe('ocr-line');
    await context.close();
  });

  for (const theme of THEMES) {
    it(`shows where the focus is on everything Tab reaches, ${theme} theme`, async () => {
      const context = await newContext(theme, 'en');
      const page = await context.newPage();
      await openApp(page, `${stack.url}/`);
      await page.getByTestId('file-input').setInputFiles(join(PHOTOS_DIR, 'chelsea.png'));
      await expect.poll(() => done(page).count(), { timeout: 60_000 }).toBe(1);
      const unseen: string[] = [];
      const walk = async () => {
        await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
        const seen = new Set<string>();
        for (let i = 0; i < 80; i += 1) {
          await page.keyboard.press('Tab');
          const ring = await focusRing(page);
          if (!ring) break;
          if (seen.has(ring.element) && ring.element.startsWith('a')) continue;
          seen.add(ring.element);
          if (!ring.visible) unseen.push(ring.element);
          if (await page.evaluate(() => document.activeElement?.matches('.site-footer a:last-child'))) break;
        }
        expect(seen.size).toBeGreaterThan(8);
      };
      await walk();
      await page.locator('[data-testid="model-option"][data-model="ocr"]').click();
      await page.getByTestId('example-image').first().click();
      await expect.poll(() => done(page).count(), { timeout: 90_000 }).toBe(1);
      await walk();
      expect(unseen).toEqual([]);
      await context.close();
    });
  }

  for (const locale of LOCALES) {
    it(`fits a phone (390 × 844) without scrolling sideways, results shown, ${locale}`, async () => {
      const context = await browser.newContext({ locale, bypassCSP: true, viewport: { width: 390, height: 844 }, hasTouch: true });
      const page = await context.newPage();
      const overflow: string[] = [];
      const fits = async (view: string) => {
        const { scroll, client, wide } = await page.evaluate(() => {
          const root = document.documentElement;
          // The widest elements, to say what overflows.
          const wide = Array.from(document.querySelectorAll<HTMLElement>('body *'))
            .filter((element) => element.getBoundingClientRect().right > root.clientWidth + 1 && !element.closest('.tabs, .sr-only'))
            .slice(0, 5)
            .map((element) => `${element.tagName.toLowerCase()}.${String(element.className)}`);
          return { scroll: root.scrollWidth, client: root.clientWidth, wide };
        });
        if (scroll > client) overflow.push(`${view}: scrollWidth ${scroll} > ${client} (${wide.join(', ')})`);
      };
      await openApp(page, `${stack.url}/`);
      await fits('compress, empty');
      await page.getByTestId('file-input').setInputFiles([join(PHOTOS_DIR, 'chelsea.png'), join(PHOTOS_DIR, 'hubble_deep_field.jpg')]);
      await page.getByTestId('file-input').setInputFiles({ name: 'a-rather-long-file-name-for-a-phone-screen-notes.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not a photo') });
      await expect.poll(() => done(page).count(), { timeout: 90_000 }).toBe(2);
      await expect.poll(() => page.locator('[data-testid="result-card"][data-state="error"]').count(), { timeout: 30_000 }).toBe(1);
      await fits('compress, done and error');
      await page.goto(`${stack.url}/#/models/${SR_MODEL}`);
      await expect.poll(() => page.getByTestId('example-image').count(), { timeout: 20_000 }).toBe(3);
      await fits('super-resolution, empty');
      await page.getByTestId('example-image').first().click();
      await expect.poll(() => done(page).count(), { timeout: 90_000 }).toBe(1);
      await done(page).getByTestId('zoom-button').nth(2).click();
      await fits('super-resolution, done, zoomed');
      await page.goto(`${stack.url}/#/models/ocr`);
      await expect.poll(() => page.getByTestId('example-image').count(), { timeout: 20_000 }).toBe(3);
      await page.getByTestId('example-image').first().click();
      await expect.poll(() => done(page).count(), { timeout: 90_000 }).toBe(1);
      await fits('OCR, done');
      await expectNoAxeViolations(page, `OCR done at 390 px (${locale})`);
      await page.goto(`${stack.url}/#/models/no-such-model`);
      await expect.poll(() => page.locator('.missing').count(), { timeout: 10_000 }).toBe(1);
      await fits('unknown model');
      expect(overflow).toEqual([]);
      await context.close();
    });
  }

  it('tells a screen reader how the work goes: labelled progress bars, and live regions that say start, progress and the end', async () => {
    const context = await newContext('light', 'en');
    // Every text the polite status regions take, in order (what a screen reader would read).
    await context.addInitScript(() => {
      const heard: string[] = [];
      (window as unknown as { heard: string[] }).heard = heard;
      new MutationObserver(() => {
        for (const region of document.querySelectorAll('body > #app [role="status"][aria-live="polite"], .page > [role="status"]')) {
          const text = region.textContent?.trim() ?? '';
          if (text && (region as HTMLElement).dataset.heard !== text) {
            (region as HTMLElement).dataset.heard = text;
            heard.push(text);
          }
        }
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    const page = await context.newPage();
    const heard = () => page.evaluate(() => (window as unknown as { heard: string[] }).heard);
    await openApp(page, `${stack.url}/#/models/${SR_MODEL}`);

    const held = await holdUploads(page, `**/api/models/${SR_MODEL}*`);
    await page.getByTestId('example-image').first().click();
    await expect.poll(() => working(page).count(), { timeout: 15_000 }).toBe(1);
    const bars = await page.locator('[data-testid="result-card"] [role="progressbar"]').evaluateAll((elements) =>
      elements.map((bar) => ({
        label: bar.getAttribute('aria-label'),
        min: bar.getAttribute('aria-valuemin'),
        max: bar.getAttribute('aria-valuemax'),
        now: bar.getAttribute('aria-valuenow'),
      })),
    );
    expect(bars.length).toBeGreaterThan(0);
    for (const bar of bars) {
      expect(bar.label).toMatch(/\S/);
      expect([bar.min, bar.max]).toEqual(['0', '100']);
      // An indeterminate bar has no value, as ARIA says; a determinate one a whole percent.
      if (bar.now !== null) expect(Number(bar.now)).toBeGreaterThanOrEqual(0);
    }
    held.release();
    await expect.poll(() => done(page).count(), { timeout: 90_000 }).toBe(1);
    await expect.poll(async () => (await heard()).at(-1), { timeout: 10_000 }).toMatch(/ done: .* to .*\.$/);
    const log = await heard();
    expect(log[0]).toMatch(/: started$/);
    // One file: its start, at most three quarters for each of its two phases, and its end.
    expect(log.length).toBeLessThanOrEqual(8);

    // A failure is said too.
    await page.goto(`${stack.url}/`);
    await page.getByTestId('file-input').setInputFiles({ name: 'notes.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not a photo') });
    await expect.poll(async () => (await heard()).at(-1), { timeout: 30_000 }).toMatch(/^notes\.jpg failed: /);
    await context.close();
  });

  it('every state a model can be in (loading, failed), a classifier (none ships: its page and result card from stubs), a task the page does not know', async () => {
    const failures: string[] = [];
    for (const theme of THEMES) {
      for (const locale of LOCALES) {
        const context = await newContext(theme, locale);
        const page = await context.newPage();
        // The real list, with its models' states changed and two models added.
        await page.route('**/api/models', async (route) => {
          const response = await route.fetch();
          const list = (await response.json()) as ModelListResponse;
          const [sr, ocr] = [list.models.find((m) => m.name === SR_MODEL)!, list.models.find((m) => m.name === 'ocr')!];
          sr.status = 'loading';
          ocr.status = 'failed';
          ocr.error = 'The recogniser could not be loaded: file not found.';
          list.models.push(
            { ...sr, name: 'classifier', title: { en: 'Image classifier', zh: '图像分类' }, task: 'image-classification', status: 'ready', topK: 5, scale: undefined },
            { ...sr, name: 'depth', title: { en: 'Depth estimation', zh: '深度估计' }, task: 'depth-estimation' as ModelSummary['task'], status: 'ready' },
          );
          await route.fulfill({ response, json: list });
        });
        await page.goto(`${stack.url}/`);
        await expect.poll(() => page.locator('[data-testid="model-option"]').count(), { timeout: 15_000 }).toBe(4);
        await page.locator('[data-testid="model-option"][data-model="ocr"]').focus(); // shows its error tooltip
        await softCheck(page, `tool picker with a loading and a failed model (${theme}, ${locale})`, failures);
        for (const name of [SR_MODEL, 'ocr', 'classifier', 'depth']) {
          await page.goto(`${stack.url}/#/models/${name}`);
          await expect.poll(() => page.locator('#model-title').count(), { timeout: 10_000 }).toBe(1);
          await softCheck(page, `model page of ${name} (${theme}, ${locale})`, failures);
        }
        // The classifier's result card, from a stubbed job: accepted, then its one `done` event.
        const labels = [
          { index: 281, label: 'tabby cat', score: 0.71 },
          { index: 282, label: 'tiger cat', score: 0.2 },
          { index: 285, label: 'Egyptian cat', score: 0.05 },
        ];
        const result = { task: 'image-classification', model: 'classifier', files: [{ name: 'chelsea.png', labels, ms: 42 }] };
        await page.route('**/api/models/classifier?async=1', (route) =>
          route.fulfill({ status: 202, json: { id: 'stub', status: '/api/jobs/stub', events: '/api/jobs/stub/events' } }),
        );
        await page.route('**/api/jobs/stub/events', (route) =>
          route.fulfill({ status: 200, contentType: 'text/event-stream', body: `event: done\ndata: ${JSON.stringify({ result })}\n\n` }),
        );
        await page.goto(`${stack.url}/#/models/classifier`);
        await expect.poll(() => page.getByTestId('file-input').count(), { timeout: 10_000 }).toBe(1);
        await page.getByTestId('file-input').setInputFiles(join(PHOTOS_DIR, 'chelsea.png'));
        await expect.poll(() => page.getByTestId('label-row').count(), { timeout: 15_000 }).toBe(3);
        await softCheck(page, `classification result (${theme}, ${locale})`, failures);
        await context.close();
      }
    }
    expect(failures.join('\n')).toBe('');
  });

});
