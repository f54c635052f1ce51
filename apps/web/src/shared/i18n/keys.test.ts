import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { messages } from './messages';

const SRC = join(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(vue|ts)$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function lookup(tree: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], tree);
}

// vue-i18n only warns at run time about a key it does not have; this reads every literal key the
// code passes to `t()` and checks both languages have it (keys built at run time are covered by
// the typed maps that build them).
describe('translation keys', () => {
  it('every key the UI uses exists, as a string, in English and Chinese', () => {
    const missing: string[] = [];
    let used = 0;
    for (const file of sources(SRC)) {
      for (const match of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([\w.]+)'/g)) {
        const key = match[1]!;
        used += 1;
        for (const locale of ['en', 'zh'] as const) {
          if (typeof lookup(messages[locale], key) !== 'string') missing.push(`${relative(SRC, file)}: ${locale} ${key}`);
        }
      }
    }
    expect(used).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });
});
