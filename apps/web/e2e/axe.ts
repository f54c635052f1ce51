import { createRequire } from 'node:module';
import type { AxeResults, Result } from 'axe-core';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
/** axe-core's browser build (its `main`), injected into the page as a script. */
const AXE_SCRIPT = require.resolve('axe-core');

/** One violation, as the failure lists it. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Runs axe-core on the page as it is now; the context needs `bypassCSP` (the script is inline). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.addScriptTag({ path: AXE_SCRIPT });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe;
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((violation: Result) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }));
  });
}

/** Fails with every violation axe finds on the page (rule id, impact, the elements), under `label`. */
export async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  const violations = await axeViolations(page);
  if (violations.length === 0) return;
  const lines = violations.map(
    (violation) => `  ${violation.id} (${violation.impact ?? 'n/a'}): ${violation.help}\n` +
      violation.targets.map((target) => `      ${target}`).join('\n'),
  );
  throw new Error(`${label}: ${violations.length} axe violation(s)\n${lines.join('\n')}`);
}
