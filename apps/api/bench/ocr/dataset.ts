/**
 * The OCR bench's evaluation set, made in code: ground-truth text rendered with sharp's SVG
 * renderer (librsvg + fontconfig), then turned, inverted, blurred or JPEG-compressed. Seeded, so
 * every run makes the same images; they are written to `.cache/` beside this file (git-ignored).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { seededRandom } from '@dlserve/model-converter/seeded-random';
import sharp from 'sharp';
import type { TextLanguage } from './cer.js';
import { CHINESE_LINES, ENGLISH_LINES } from './texts.js';

export interface BenchImage {
  subset: string;
  language: TextLanguage;
  /** Absolute path of the encoded image (PNG, or JPEG for the noisy subsets). */
  path: string;
  /** Ground truth: one line of the image per line. */
  text: string;
  /** What it is, for the log: font, size, angle, effects. */
  description: string;
}

interface SubsetSpec {
  name: string;
  language: TextLanguage;
  inverted: boolean;
  /** Largest rotation in degrees (either way); 0 = upright. */
  maxAngle: number;
  noisy: boolean;
}

export const SUBSETS: readonly SubsetSpec[] = [
  { name: 'en-clean', language: 'en', inverted: false, maxAngle: 0, noisy: false },
  { name: 'en-rotated', language: 'en', inverted: false, maxAngle: 20, noisy: false },
  { name: 'en-inverted', language: 'en', inverted: true, maxAngle: 0, noisy: false },
  { name: 'en-noisy', language: 'en', inverted: false, maxAngle: 0, noisy: true },
  { name: 'zh-clean', language: 'zh', inverted: false, maxAngle: 0, noisy: false },
  { name: 'zh-rotated', language: 'zh', inverted: false, maxAngle: 20, noisy: false },
  { name: 'zh-noisy', language: 'zh', inverted: false, maxAngle: 0, noisy: true },
];

const FONTS: Record<TextLanguage, readonly string[]> = {
  en: ['DejaVu Sans', 'DejaVu Serif', 'Liberation Sans', 'Liberation Serif', 'Liberation Mono'],
  zh: ['Noto Sans CJK SC', 'Noto Serif CJK SC'],
};
/** Ink / paper pairs; inverted subsets swap them (light text on a dark ground). */
const PALETTES: ReadonlyArray<{ ink: string; paper: string }> = [
  { ink: '#111111', paper: '#ffffff' },
  { ink: '#1d2a4a', paper: '#f6f1e3' },
  { ink: '#3a2a1a', paper: '#e9e4d4' },
  { ink: '#202020', paper: '#dfe7ee' },
  { ink: '#5a0f12', paper: '#fbf7ef' },
];
const PADDING = 24;

const escapeXml = (text: string): string => text.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;');

/** The text drawn on a canvas surely big enough, then trimmed to the ink and padded. */
async function renderText(lines: readonly string[], font: string, size: number, ink: string, paper: string): Promise<sharp.Sharp> {
  const lineHeight = Math.round(size * 1.6);
  const longest = Math.max(...lines.map((line) => Array.from(line).length));
  const width = Math.ceil(longest * size * 1.1) + 2 * PADDING;
  const height = lineHeight * lines.length + 2 * PADDING;
  const texts = lines
    .map((line, i) => `<text x="${PADDING}" y="${PADDING + size + i * lineHeight}" xml:space="preserve">${escapeXml(line)}</text>`)
    .join('');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<rect width="100%" height="100%" fill="${paper}"/>` +
    `<g font-family="${font}" font-size="${size}" fill="${ink}">${texts}</g></svg>`;
  const drawn = await sharp(Buffer.from(svg)).flatten({ background: paper }).png().toBuffer();
  const trimmed = await sharp(drawn).trim({ background: paper, threshold: 8 }).png().toBuffer();
  return sharp(trimmed).extend({ top: PADDING, bottom: PADDING, left: PADDING, right: PADDING, background: paper });
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** `count` distinct lines, in a seeded order. */
function pickLines(random: () => number, pool: readonly string[], count: number): string[] {
  const chosen = new Set<string>();
  while (chosen.size < count) chosen.add(pick(random, pool));
  return [...chosen];
}

async function makeImage(spec: SubsetSpec, index: number, random: () => number, dir: string): Promise<BenchImage> {
  const pool = spec.language === 'en' ? ENGLISH_LINES : CHINESE_LINES;
  // Every other image is a short paragraph of 2–4 lines, the rest single lines.
  const lineCount = index % 2 === 0 ? 1 : 2 + Math.floor(random() * 3);
  const lines = pickLines(random, pool, lineCount);
  const font = FONTS[spec.language][index % FONTS[spec.language].length]!;
  const size = 18 + Math.floor(random() * 23); // 18–40 px
  const palette = pick(random, PALETTES);
  const { ink, paper } = spec.inverted ? { ink: palette.paper, paper: palette.ink } : palette;
  let image = await renderText(lines, font, size, ink, paper);
  const effects: string[] = [];
  if (spec.maxAngle > 0) {
    // 3°–maxAngle either way: the rotated subsets should actually be rotated.
    const angle = (random() < 0.5 ? -1 : 1) * (3 + random() * (spec.maxAngle - 3));
    image = sharp(await image.png().toBuffer()).rotate(angle, { background: paper });
    effects.push(`rotated ${angle.toFixed(1)}°`);
  }
  let file: Buffer;
  let ext: string;
  if (spec.noisy) {
    const sigma = 0.6 + random() * 0.8;
    const quality = 25 + Math.floor(random() * 11);
    image = sharp(await image.png().toBuffer()).blur(sigma);
    file = await image.jpeg({ quality, chromaSubsampling: '4:2:0' }).toBuffer();
    ext = 'jpg';
    effects.push(`blur σ${sigma.toFixed(2)}`, `JPEG q${quality}`);
  } else {
    file = await image.png().toBuffer();
    ext = 'png';
  }
  const path = join(dir, `${spec.name}-${String(index).padStart(2, '0')}.${ext}`);
  await writeFile(path, file);
  const meta = await sharp(file).metadata();
  return {
    subset: spec.name,
    language: spec.language,
    path,
    text: lines.join('\n'),
    description: [`${meta.width}×${meta.height}`, font, `${size}px`, `${lines.length} line${lines.length > 1 ? 's' : ''}`, spec.inverted ? 'light on dark' : 'dark on light', ...effects].join(', '),
  };
}

/** Makes `perSubset` images for each subset in `dir` (emptied first). */
export async function buildDataset(dir: string, perSubset: number, seed = 20240601): Promise<BenchImage[]> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const images: BenchImage[] = [];
  for (const [s, spec] of SUBSETS.entries()) {
    const random = seededRandom(seed + s * 7919);
    for (let i = 0; i < perSubset; i++) images.push(await makeImage(spec, i, random, dir));
  }
  return images;
}
