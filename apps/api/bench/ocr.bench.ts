/**
 * Benchmark of dlserve's OCR (`pnpm bench:ocr`): quality and speed against peers on the same
 * images. Not a test: it prints numbers, then PASS/MISS against the targets.
 *
 * Data: a generated, seeded evaluation set (bench/ocr/dataset.ts): English and Chinese sentences
 * in several fonts and sizes, single lines and short paragraphs; clean, rotated (3–20°), inverted
 * (light on dark), noisy (blur + JPEG q25–35). Written to bench/ocr/.cache/.
 *
 * Engines, each from the encoded file to text, one image at a time, after a warm-up, interleaved
 * image by image (so another load on the machine slows them alike):
 *   dlserve            OcrRunner in this thread (sharp decode + read()), model.json's defaults
 *   dlserve HTTP       POST /api/models/ocr on the real app (worker, annotated image, JSON)
 *   @gutenye/ocr-node  the same PP-OCRv4 ONNX files in another Node library, same ORT threads
 *   Tesseract          tesseract 5 CLI per image (eng / chi_sim); its time includes the process
 *                      start and model load, which is also measured alone and reported
 *
 * Metric: CER = Σ edits / Σ reference characters per subset (bench/ocr/cer.ts: NFKC, whitespace
 * collapsed; Chinese without spaces). Speed: mean and median ms per image.
 * Targets: dlserve's CER ≤ each peer's on every subset; dlserve's mean ms/image ≤ Tesseract's and
 * ≤ 2/3 of @gutenye/ocr-node's.
 *
 * Environment: OCR_BENCH_PER_SUBSET (images per subset, default 12), OCR_BENCH_PSM (Tesseract page
 * segmentation mode, default 6), OCR_BENCH_SETTINGS (JSON overriding model.json's OCR defaults for
 * the in-process engine, e.g. '{"unclipRatio":2}'), OCR_BENCH_SKIP_HTTP=1, OCR_BENCH_VERBOSE=1 (every hypothesis),
 * OCR_BENCH_ENGINES (comma-separated subset of: dlserve,http,guten,tesseract), plus the app's
 * ORT_INTRA_OP_THREADS.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { OcrSettingsSchema } from '../src/serving/repository/model-manifest.js';
import { charErrors } from './ocr/cer.js';
import { buildDataset, SUBSETS, type BenchImage } from './ocr/dataset.js';
import { dlserveEngine, dlserveHttpEngine, gutenEngine, ocrModel, tesseractEngine, tesseractStartMs, tesseractVersion, type Engine, type EngineResult } from './ocr/engines.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '../../../..');
const MODELS_DIR = join(ROOT, 'models');
const CACHE_DIR = join(ROOT, 'apps/api/bench/ocr/.cache');
const SPEED_RATIO_GUTEN = 2 / 3;

process.env.NODE_ENV = 'test'; // the app logs only warnings and errors

const perSubset = Number(process.env.OCR_BENCH_PER_SUBSET ?? 12);
const psm = Number(process.env.OCR_BENCH_PSM ?? 6);
const verbose = process.env.OCR_BENCH_VERBOSE === '1';
/** Overrides of model.json's OCR defaults for the in-process engine, to try settings: a JSON object. */
const overrides = OcrSettingsSchema.partial().parse(JSON.parse(process.env.OCR_BENCH_SETTINGS ?? '{}'));
const wanted = (process.env.OCR_BENCH_ENGINES ?? 'dlserve,http,guten,tesseract')
  .split(',')
  .filter((engine) => !(engine === 'http' && process.env.OCR_BENCH_SKIP_HTTP === '1'));

interface Measured extends EngineResult {
  image: BenchImage;
  edits: number;
  length: number;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const mean = (values: readonly number[]): number => values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length);
const sum = (values: readonly number[]): number => values.reduce((total, v) => total + v, 0);
const pct = (value: number): string => `${(value * 100).toFixed(2)}%`;
const pad = (text: string, width: number): string => text.padEnd(width);
const lpad = (text: string, width: number): string => text.padStart(width);

function summary(rows: readonly Measured[]) {
  return {
    cer: sum(rows.map((r) => r.edits)) / Math.max(1, sum(rows.map((r) => r.length))),
    edits: sum(rows.map((r) => r.edits)),
    length: sum(rows.map((r) => r.length)),
    medianMs: median(rows.map((r) => r.ms)),
    meanMs: mean(rows.map((r) => r.ms)),
    lines: sum(rows.map((r) => r.lineCount)),
  };
}

/**
 * Every image through every engine, engines interleaved (the first engine changes with each image),
 * so a busy machine slows all of them alike instead of whichever ran during the busy minute.
 */
async function measureAll(engines: readonly Engine[], images: readonly BenchImage[]): Promise<Map<string, Measured[]>> {
  const results = new Map<string, Measured[]>(engines.map((engine) => [engine.name, []]));
  for (const [n, image] of images.entries()) {
    for (let k = 0; k < engines.length; k++) {
      const engine = engines[(n + k) % engines.length]!;
      const result = await engine.read(image.path, image.language);
      results.get(engine.name)!.push({ ...result, image, ...charErrors(image.text, result.text, image.language) });
      if (verbose) console.log(`  [${engine.name}] ${image.path.split('/').pop()} ${result.ms.toFixed(0)} ms ${JSON.stringify(result.text)}`);
    }
  }
  for (const engine of engines) console.log(`  ${engine.name}: ${images.length} images in ${(sum(results.get(engine.name)!.map((r) => r.ms)) / 1000).toFixed(1)} s`);
  return results;
}

function printTable(title: string, engines: readonly string[], results: ReadonlyMap<string, Measured[]>, pick: (rows: Measured[]) => Measured[]): void {
  console.log(`\n${title}`);
  console.log(`  ${pad('engine', 20)}${lpad('CER', 9)}${lpad('edits/chars', 14)}${lpad('lines', 7)}${lpad('median ms', 11)}${lpad('mean ms', 10)}`);
  for (const name of engines) {
    const s = summary(pick(results.get(name)!));
    console.log(`  ${pad(name, 20)}${lpad(pct(s.cer), 9)}${lpad(`${s.edits}/${s.length}`, 14)}${lpad(String(s.lines), 7)}${lpad(s.medianMs.toFixed(1), 11)}${lpad(s.meanMs.toFixed(1), 10)}`);
  }
}

async function main(): Promise<void> {
  const model = await ocrModel(MODELS_DIR);
  console.log(`OCR bench: ${perSubset} images per subset, ${os.availableParallelism()} cores, ORT intra-op threads ${model.threads}; ${await tesseractVersion()} --psm ${psm}`);
  console.log(`dlserve settings: ${JSON.stringify({ ...model.defaults, ...overrides })}${Object.keys(overrides).length ? ' (OCR_BENCH_SETTINGS, in-process engine only; HTTP uses model.json)' : ' (model.json)'}`);
  const images = await buildDataset(CACHE_DIR, perSubset);
  const lineTotal = sum(images.map((i) => i.text.split('\n').length));
  console.log(`Dataset: ${images.length} images, ${lineTotal} lines of ground truth, in ${CACHE_DIR}`);
  for (const spec of SUBSETS) {
    const subset = images.filter((i) => i.subset === spec.name);
    const chars = sum(subset.map((i) => charErrors(i.text, '', i.language).length));
    console.log(`  ${pad(spec.name, 12)} ${subset.length} images, ${chars} characters; e.g. ${subset[1]!.description}`);
  }

  const tmp = await mkdtemp(join(os.tmpdir(), 'dlserve-ocr-bench-'));
  const blank = join(tmp, 'blank.png');
  await sharp({ create: { width: 64, height: 64, channels: 3, background: '#ffffff' } }).png().toFile(blank);
  const warmUpImages = [images.find((i) => i.language === 'en')!, images.find((i) => i.language === 'zh')!];

  const factories: Array<[string, () => Promise<Engine>]> = [
    ['dlserve', () => dlserveEngine(MODELS_DIR, overrides)],
    ['http', () => dlserveHttpEngine(MODELS_DIR, tmp)],
    ['guten', () => gutenEngine(model.threads)],
    ['tesseract', async () => tesseractEngine(psm)],
  ];
  const running: Engine[] = [];
  for (const [key, create] of factories) {
    if (!wanted.includes(key)) continue;
    const engine = await create();
    for (const image of warmUpImages) await engine.read(image.path, image.language);
    running.push(engine);
  }
  console.log(`\nRunning ${running.map((e) => e.name).join(', ')} (warmed up; interleaved per image)`);
  const results = await measureAll(running, images);
  for (const engine of running) await engine.close();
  const engines = [...results.keys()];

  for (const spec of SUBSETS) printTable(spec.name, engines, results, (rows) => rows.filter((r) => r.image.subset === spec.name));
  printTable('TOTAL (all subsets)', engines, results, (rows) => rows);

  const dlserve = results.get('dlserve');
  if (dlserve) {
    console.log('\ndlserve stages (mean ms per image)');
    console.log(`  ${pad('subset', 12)}${lpad('detect', 9)}${lpad('direction', 11)}${lpad('recognise', 11)}${lpad('lines found/truth', 19)}`);
    for (const spec of SUBSETS) {
      const rows = dlserve.filter((r) => r.image.subset === spec.name);
      const stage = (key: 'detectMs' | 'directionMs' | 'recogniseMs') => mean(rows.map((r) => r.stages![key])).toFixed(1);
      const truth = sum(rows.map((r) => r.image.text.split('\n').length));
      console.log(`  ${pad(spec.name, 12)}${lpad(stage('detectMs'), 9)}${lpad(stage('directionMs'), 11)}${lpad(stage('recogniseMs'), 11)}${lpad(`${sum(rows.map((r) => r.lineCount))}/${truth}`, 19)}`);
    }
    const worst = [...dlserve].sort((a, b) => b.edits / b.length - a.edits / a.length).slice(0, 5).filter((r) => r.edits > 0);
    if (worst.length) console.log('\ndlserve worst images');
    for (const r of worst) {
      console.log(`  ${r.image.path.split('/').pop()} CER ${pct(r.edits / r.length)} (${r.image.description})\n    truth ${JSON.stringify(r.image.text)}\n    read  ${JSON.stringify(r.text)}`);
    }
  }

  if (results.has('Tesseract')) {
    const start = { en: await tesseractStartMs(blank, 'en', psm), zh: await tesseractStartMs(blank, 'zh', psm) };
    const rows = results.get('Tesseract')!;
    const net = rows.map((r) => r.ms - start[r.image.language]);
    console.log(`\nTesseract process start + model load (blank 64×64 image, median of 5): eng ${start.en.toFixed(1)} ms, chi_sim ${start.zh.toFixed(1)} ms`);
    console.log(`  Tesseract without it: median ${median(net).toFixed(1)} ms, mean ${mean(net).toFixed(1)} ms per image`);
  }

  if (dlserve) {
    console.log('\nTargets');
    let misses = 0;
    const verdict = (ok: boolean, text: string) => {
      if (!ok) misses++;
      console.log(`  ${ok ? 'PASS' : 'MISS'}  ${text}`);
    };
    for (const spec of SUBSETS) {
      const own = summary(dlserve.filter((r) => r.image.subset === spec.name)).cer;
      for (const peer of ['Tesseract', '@gutenye/ocr-node']) {
        const rows = results.get(peer);
        if (!rows) continue;
        const theirs = summary(rows.filter((r) => r.image.subset === spec.name)).cer;
        verdict(own <= theirs, `${pad(spec.name, 12)} CER dlserve ${pct(own)} ≤ ${peer} ${pct(theirs)}`);
      }
    }
    const ownMs = summary(dlserve).meanMs;
    const tesseract = results.get('Tesseract');
    if (tesseract) verdict(ownMs <= summary(tesseract).meanMs, `ms/image dlserve ${ownMs.toFixed(1)} ≤ Tesseract ${summary(tesseract).meanMs.toFixed(1)}`);
    const guten = results.get('@gutenye/ocr-node');
    if (guten) {
      const limit = summary(guten).meanMs * SPEED_RATIO_GUTEN;
      verdict(ownMs <= limit, `ms/image dlserve ${ownMs.toFixed(1)} ≤ 2/3 × @gutenye/ocr-node ${summary(guten).meanMs.toFixed(1)} = ${limit.toFixed(1)}`);
    }
    console.log(`\n${misses === 0 ? 'All targets met.' : `${misses} target(s) missed.`}`);
  }
  await rm(tmp, { recursive: true, force: true });
}

await main();
