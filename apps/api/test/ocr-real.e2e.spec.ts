import type { OcrResponse } from '@dlserve/shared';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { cer } from '../bench/ocr/cer.js';
import { readRealSet } from '../bench/ocr/real-set.js';
import { startTestApp, type TestApp } from './app.js';

const MODELS_DIR = fileURLToPath(new URL('../../../../models/', import.meta.url));
const images = await readRealSet();

/**
 * A regression guard, not a target: the highest CER each real image may be read with, from
 * `bench:ocr:real` (dlserve's CER there plus a quarter of it, at least 3 points). Issue 10's
 * targets (no worse than @gutenye/ocr-node on any image) are the bench's to report.
 */
const MAX_CER: Record<string, number> = {
  'de-photo-word-lcd-produkt.jpg': 1.25,
  'de-scan-dot-matrix-printout.jpg': 0.35,
  'en-photo-printout-uneven-light.png': 0.06,
  'en-photo-projector-label.jpg': 0.06,
  'en-photo-screen-bullet-links.jpg': 0.12,
  'en-photo-word-china-small.jpg': 0.03,
  'en-photo-word-here.jpg': 0.03,
  'en-scan-article-fragment.tif': 0.03,
  'en-scan-blackletter-word-noisy.png': 0.36,
  'en-scan-book-fragment.jpg': 0.04,
  'en-scan-book-keystone.png': 0.06,
  'en-scan-book-page-askew.tif': 0.15,
  'en-scan-book-page-large.jpg': 0.04,
  'en-scan-eurotext.tif': 0.06,
  'en-scan-form-handwritten.png': 0.14,
  'en-scan-handwriting.jpg': 0.05,
  'en-scan-journal-shadowed.jpg': 0.23,
  'en-scan-magazine-page.tif': 0.05,
  'en-scan-magazine-spread.tif': 0.08,
  'en-scan-newspaper-faint.jpg': 0.1,
  'en-screenshot-bank-statement.png': 0.06,
  'en-screenshot-ocr-demo.png': 0.06,
  'en-sign-direction-dark.jpg': 0.09,
  'en-sign-freephone.jpg': 0.03,
  'en-sign-hotel-painted.jpg': 0.03,
  'en-sign-no-parking-barriers.jpg': 0.13,
  'en-sign-notice-parking.jpg': 0.18,
  'en-sign-shop-copy-centre.jpg': 0.03,
  'en-sign-shopfront-uncial.jpg': 0.2,
  'zh-screenshot-dialog-error.png': 0.06,
  'zh-screenshot-dialog-login-mixed.png': 0.06,
  'zh-screenshot-dialog-rename.png': 0.09,
  'zh-screenshot-menu-light.png': 0.03,
  'zh-screenshot-menu-small.png': 0.03,
  'zh-screenshot-menu-terminal.png': 0.03,
  'zh-screenshot-shortcuts-dark.png': 0.77,
  'zh-screenshot-statusbar-tiny.png': 0.03,
};

describe('OCR on the real scans and photos of fixtures/ocr-real, through POST /api/models/ocr', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ MODELS_DIR, MODELS: 'ocr' });
  });
  after(() => t.close());

  it('has a bound for every image of the set, and at least 20 images', async () => {
    const names = images.map((image) => image.name);
    assert.ok(names.length >= 20, `${names.length} images`);
    assert.deepEqual(names, Object.keys(MAX_CER).sort());
  });

  for (const image of images) {
    it(`reads ${image.name} with a CER of at most ${MAX_CER[image.name]}`, async (context) => {
      const response = await request(t.http).post('/api/models/ocr').attach('the_file', await readFile(image.path), image.name).expect(200);
      const text = (response.body as OcrResponse).files[0]!.text;
      const rate = cer(image.text, text, image.language);
      context.diagnostic(`CER ${(rate * 100).toFixed(1)}%`);
      assert.ok(rate <= (MAX_CER[image.name] ?? 0), `CER ${(rate * 100).toFixed(1)}%; read ${JSON.stringify(text)}`);
    });
  }
});
