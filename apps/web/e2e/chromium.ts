import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

/** Debian's Chromium, headless, with its background chatter off. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface OpenedPage {
  page: Page;
  /** Uncaught errors, and the console's errors: every one, or only what the CSP blocked. */
  errors: string[];
}

/**
 * A page of its own (its own context: locale, viewport, colour scheme) opened at `url`, with
 * what goes wrong on it collected from the first request; close it with `page.context().close()`.
 */
export async function openPage(
  browser: Browser,
  url: string,
  { consoleErrors = 'csp', ...options }: BrowserContextOptions & { consoleErrors?: 'csp' | 'all' } = {},
): Promise<OpenedPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, ...options });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (consoleErrors === 'all' || /Content Security Policy/i.test(message.text())) errors.push(message.text());
  });
  await page.goto(url);
  return { page, errors };
}
