/**
 * OCR on real scans and photos (`pnpm bench:ocr:real`): every image of fixtures/ocr-real through
 * dlserve (OcrRunner in this thread, model.json's defaults), @gutenye/ocr-node (the same PP-OCRv4
 * ONNX files, the differential oracle) and Tesseract 5 (eng / chi_sim, --psm 3), one image at a
 * time, engines interleaved, after a warm-up. Prints CER and ms per image per engine, the means,
 * and PASS/MISS against issue 10's targets. Not a test: numbers.
 *
 * OCR_BENCH_SETTINGS: JSON overriding model.json's OCR defaults; OCR_BENCH_VERBOSE=1: every text;
 * OCR_BENCH_ONLY: a regular expression picking images by file name; OCR_BENCH_DLSERVE_ONLY=1.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OcrSettingsSchema } from '../src/serving/repository/model-manifest.js';
import { cer } from './ocr/cer.js';
import { dlserveEngine, gutenEngine, ocrModel, tesseractEngine, tesseractVersion, type Engine } from './ocr/engines.js';
import { readRealSet } from './ocr/real-set.js';

const MODELS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../../models');
const overrides = OcrSettingsSchema.partial().parse(JSON.parse(process.env.OCR_BENCH_SETTINGS ?? '{}'));
const verbose = process.env.OCR_BENCH_VERBOSE === '1';
/** Issue 10: on every image, dlserve's CER at most ocr-node's plus half a point. */
const MARGIN = 0.005;

const only = new RegExp(process.env.OCR_BENCH_ONLY ?? '');
const images = (await readRealSet()).filter((image) => only.test(image.name));
if (images.length === 0) throw new Error('fixtures/ocr-real holds no image with a transcription');
const model = await ocrModel(MODELS_DIR);
// OCR_BENCH_DLSERVE_ONLY=1: dlserve alone, to try settings quickly (no targets then).
const dlserveOnly = process.env.OCR_BENCH_DLSERVE_ONLY === '1';
const engines: Engine[] = [await dlserveEngine(MODELS_DIR, overrides), ...(dlserveOnly ? [] : [await gutenEngine(model.threads), tesseractEngine(3)])];
for (const engine of engines) await engine.read(images[0]!.path, images[0]!.language); // warm-up

interface Cell {
  cer: number;
  ms: number;
  text: string;
}
const rows: Array<{ name: string; cells: Cell[] }> = [];
for (const [n, image] of images.entries()) {
  const cells: Cell[] = new Array(engines.length);
  for (let k = 0; k < engines.length; k++) {
    const e = (n + k) % engines.length;
    const result = await engines[e]!.read(image.path, image.language);
    cells[e] = { cer: cer(image.text, result.text, image.language), ms: result.ms, text: result.text };
  }
  rows.push({ name: image.name, cells });
  if (verbose) for (const [e, cell] of cells.entries()) console.log(`  [${engines[e]!.name}] ${image.name}: ${JSON.stringify(cell.text)}`);
}
for (const engine of engines) await engine.close();

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
console.log(`\nOCR on ${images.length} real images (fixtures/ocr-real); ${await tesseractVersion()} --psm 3; ORT threads ${model.threads}`);
console.log(`| image | ${engines.map((e) => `${e.name} CER | ms`).join(' | ')} |`);
console.log(`|---|${engines.map(() => '---|---').join('|')}|`);
for (const row of rows) console.log(`| ${row.name} | ${row.cells.map((c) => `${pct(c.cer)} | ${c.ms.toFixed(0)}`).join(' | ')} |`);
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const means = engines.map((_, e) => ({ cer: mean(rows.map((r) => r.cells[e]!.cer)), ms: mean(rows.map((r) => r.cells[e]!.ms)) }));
console.log(`| **mean** | ${means.map((m) => `${pct(m.cer)} | ${m.ms.toFixed(0)}`).join(' | ')} |`);

if (dlserveOnly) process.exit(0);
console.log('\nTargets (issue 10)');
const [own, guten, tess] = [0, 1, 2];
const worse = rows.filter((r) => r.cells[own]!.cer > r.cells[guten]!.cer + MARGIN);
const slower = rows.filter((r) => r.cells[own]!.ms > r.cells[guten]!.ms);
console.log(`  ${worse.length === 0 ? 'PASS' : 'MISS'}  CER ≤ ocr-node's + 0.5 points on every image${worse.length ? `: not on ${worse.map((r) => r.name).join(', ')}` : ''}`);
console.log(`  ${means[own]!.cer < means[guten]!.cer && means[own]!.cer < means[tess]!.cer ? 'PASS' : 'MISS'}  mean CER ${pct(means[own]!.cer)} < ocr-node ${pct(means[guten]!.cer)} and Tesseract ${pct(means[tess]!.cer)}`);
console.log(`  ${slower.length === 0 ? 'PASS' : 'MISS'}  ms ≤ ocr-node's on every image${slower.length ? `: not on ${slower.length} of ${rows.length}` : ''}`);
