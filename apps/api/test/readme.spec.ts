// README.zh-CN.md kept in step with README.md: the same headings (each Chinese heading carries
// the English one's anchor, `<a id="…"></a>` on the line above, so links such as #configuration
// work in both and a missing section can be named), the same code blocks (shell commands and
// JSON identical; only `#` comments in shell blocks may be translated), the same variables in
// the configuration table, and a link from each file to the other.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/** The repository's root, from apps/api/dist/test. */
const ROOT = resolve(fileURLToPath(new URL('../../../..', import.meta.url)));
const EN = 'README.md';
const ZH = 'README.zh-CN.md';

interface Heading {
  level: number;
  text: string;
  /** The anchor a link reaches it by: the `<a id>` on the line above, else GitHub's slug of its text. */
  id: string;
  line: number;
}
interface CodeBlock {
  info: string;
  lines: string[];
  line: number;
  /** The heading it sits under, for messages. */
  section: string;
}
interface Readme {
  lines: string[];
  headings: Heading[];
  blocks: CodeBlock[];
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
function slug(text: string): string {
  return text
    .replace(/<[^>]*>/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

function parse(markdown: string): Readme {
  const lines = markdown.split('\n');
  const headings: Heading[] = [];
  const blocks: CodeBlock[] = [];
  const seen = new Map<string, number>();
  let open: CodeBlock | undefined;
  let fence = '';
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (open) {
      if (raw.trim() === fence) {
        blocks.push(open);
        open = undefined;
      } else open.lines.push(raw);
      return;
    }
    const start = /^(`{3,}|~{3,})\s*(\S*)/.exec(raw);
    if (start) {
      fence = start[1] ?? '```';
      open = { info: start[2] ?? '', lines: [], line, section: headings.at(-1)?.text ?? '(top)' };
      return;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(raw);
    if (!heading) return;
    const text = heading[2] ?? '';
    const anchor = /^<a id="([^"]+)"><\/a>\s*$/.exec(lines[index - 1] ?? '');
    let id = anchor?.[1] ?? slug(text);
    if (!anchor) {
      // GitHub numbers repeated slugs: the second "Models" is models-1.
      const count = seen.get(id) ?? 0;
      seen.set(id, count + 1);
      if (count) id = `${id}-${count}`;
    }
    headings.push({ level: heading[1]?.length ?? 0, text, id, line });
  });
  return { lines, headings, blocks };
}

const readme = (path: string): Readme => parse(readFileSync(join(ROOT, path), 'utf8'));
const show = (heading: Heading): string => `${'#'.repeat(heading.level)} ${heading.text}`;

/** A shell block's lines with comments (`# …` lines, trailing ` # …`) and the spaces before them removed. */
function commands(block: CodeBlock): string[] {
  if (!['sh', 'bash', 'shell', 'console'].includes(block.info)) return block.lines;
  return block.lines.filter((text) => !/^\s*#/.test(text)).map((text) => text.replace(/\s+#(\s.*)?$/, ''));
}

/** The first column of the first table in the section whose anchor is `id`. */
function tableNames(doc: Readme, id: string, file: string): string[] {
  const heading = doc.headings.find((h) => h.id === id);
  assert.ok(heading, `${file} has no heading with the anchor #${id}`);
  const next = doc.headings.find((h) => h.line > heading.line && h.level <= heading.level);
  const section = doc.lines.slice(heading.line, next ? next.line - 1 : undefined);
  const start = section.findIndex((text) => text.startsWith('|'));
  assert.ok(start >= 0, `${file}: no table under ${show(heading)}`);
  const rows: string[] = [];
  for (const text of section.slice(start + 2)) {
    if (!text.startsWith('|')) break;
    rows.push((text.split('|')[1] ?? '').trim().replace(/`/g, ''));
  }
  return rows;
}

describe('README.zh-CN.md follows README.md', () => {
  const en = readme(EN);
  const zh = readme(ZH);

  it('links each file to the other, at the top', () => {
    assert.ok(en.lines.slice(0, 5).includes('English | [简体中文](README.zh-CN.md)'), `${EN} needs "English | [简体中文](README.zh-CN.md)" under its title`);
    assert.ok(zh.lines.slice(0, 5).includes('[English](README.md) | 简体中文'), `${ZH} needs "[English](README.md) | 简体中文" under its title`);
  });

  it('has every section of README.md, at the same level and in the same order', () => {
    const zhIds = new Map(zh.headings.map((h) => [h.id, h]));
    const enIds = new Set(en.headings.map((h) => h.id));
    const problems: string[] = [];
    en.headings.forEach((h, index) => {
      const match = zhIds.get(h.id);
      const before = en.headings[index - 1];
      const after = before ? ` (after "${show(before)}")` : '';
      if (!match) problems.push(`missing "${show(h)}" (${EN}:${h.line})${after}: translate it with <a id="${h.id}"></a> on the line above`);
      else if (match.level !== h.level) problems.push(`"${show(h)}" is level ${h.level} in ${EN} but "${show(match)}" (${ZH}:${match.line}) is level ${match.level}`);
    });
    for (const h of zh.headings) {
      if (!enIds.has(h.id)) problems.push(`"${show(h)}" (${ZH}:${h.line}, anchor #${h.id}) is in no heading of ${EN}`);
    }
    if (problems.length) assert.fail(`${ZH}'s headings:\n  ${problems.join('\n  ')}`);
    assert.deepEqual(
      zh.headings.map((h) => h.id),
      en.headings.map((h) => h.id),
      `${ZH}'s sections are not in ${EN}'s order`,
    );
    const levels = (doc: Readme): Record<number, number> =>
      doc.headings.reduce<Record<number, number>>((count, h) => ({ ...count, [h.level]: (count[h.level] ?? 0) + 1 }), {});
    assert.deepEqual(levels(zh), levels(en), 'headings per level');
  });

  const blockName = (a: CodeBlock, i: number): string =>
    `code block ${i + 1} of ${EN} (\`\`\`${a.info} at ${EN}:${a.line}, under "${a.section}", first line: ${a.lines[0] ?? ''})`;

  it('has the same code blocks: commands and JSON as they are, only shell comments translated', () => {
    const problems: string[] = [];
    const count = Math.max(en.blocks.length, zh.blocks.length);
    for (let i = 0; i < count; i++) {
      const a = en.blocks[i];
      const b = zh.blocks[i];
      if (!a || !b) {
        if (b) problems.push(`${ZH}:${b.line} has a code block (\`\`\`${b.info}, under "${b.section}") beyond ${EN}'s ${en.blocks.length}`);
        if (a) problems.push(`${blockName(a, i)} is missing from ${ZH}`);
        break;
      }
      const where = blockName(a, i);
      if (a.info !== b.info) {
        problems.push(`${where}: ${ZH}:${b.line} is \`\`\`${b.info} instead (a block missing or added before it?)`);
        break;
      }
      const [x, y] = [commands(a), commands(b)];
      const line = x.findIndex((text, k) => text !== y[k]);
      if (line >= 0 || x.length !== y.length) {
        const k = line >= 0 ? line : Math.min(x.length, y.length);
        problems.push(`${where} differs in ${ZH} (at ${ZH}:${b.line}):\n    ${EN}: ${x[k] ?? '(end of block)'}\n    ${ZH}: ${y[k] ?? '(end of block)'}`);
        break;
      }
    }
    if (problems.length) assert.fail(problems.join('\n'));
  });

  it('documents the same configuration variables, in the same order', () => {
    const names = tableNames(en, 'configuration', EN);
    const translated = tableNames(zh, 'configuration', ZH);
    assert.ok(names.length > 10, `${EN}'s configuration table was not found`);
    const missing = names.filter((name) => !translated.includes(name));
    const extra = translated.filter((name) => !names.includes(name));
    if (missing.length) assert.fail(`${ZH}'s configuration table lacks ${missing.join(', ')} (in ${EN}'s)`);
    if (extra.length) assert.fail(`${ZH}'s configuration table has ${extra.join(', ')}, which ${EN}'s has not`);
    assert.deepEqual(translated, names, `${ZH}'s configuration table is not in ${EN}'s order`);
  });
});
