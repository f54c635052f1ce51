/**
 * The real-image OCR set (fixtures/ocr-real): scans and photos of text with their transcriptions
 * (`<image>.txt` beside each image; sources and licences in the folder's README). Used by
 * `bench:ocr:real` and by the end-to-end OCR test, never rendered by the project.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TextLanguage } from './cer.js';

export const REAL_SET_DIR = fileURLToPath(new URL('../../../../../fixtures/ocr-real/', import.meta.url));

export interface RealImage {
  name: string;
  path: string;
  text: string;
  language: TextLanguage;
}

const IMAGE = /\.(png|jpe?g|webp|tiff?|gif)$/i;
const CJK = /[\u3400-\u9fff]/u;

export async function readRealSet(dir = REAL_SET_DIR): Promise<RealImage[]> {
  const files = await readdir(dir).catch(() => [] as string[]);
  const images: RealImage[] = [];
  for (const file of files.filter((name) => IMAGE.test(name)).sort()) {
    const base = file.replace(IMAGE, '');
    const text = await readFile(join(dir, `${base}.txt`), 'utf8').catch(() => null);
    if (text === null) continue;
    images.push({ name: file, path: join(dir, file), text: text.trim(), language: CJK.test(text) ? 'zh' : 'en' });
  }
  return images;
}
