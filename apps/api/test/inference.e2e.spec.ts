import type {
  ApiError,
  ClassificationResponse,
  HealthResponse,
  ImageToImageResponse,
  JobAccepted,
  JobEvent,
  JobStatus,
  ModelListResponse,
} from '@dlserve/shared';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import request from 'supertest';
import { startTestApp, type TestApp } from './app.js';
import { writeTestRepository } from './models.js';

async function solid(width: number, height: number, rgb: [number, number, number]): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } }).png().toBuffer();
}

/** A picture whose every pixel differs, so a misplaced tile would show. */
async function pattern(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    pixels[i * 3] = (i * 7) % 256;
    pixels[i * 3 + 1] = (i * 13) % 256;
    pixels[i * 3 + 2] = (i * 29) % 256;
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

async function rawRgb(data: Buffer): Promise<{ pixels: Buffer; width: number; height: number }> {
  const { data: pixels, info } = await sharp(data).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { pixels, width: info.width, height: info.height };
}

/** Reads a Server-Sent Events stream to its end. */
async function readEvents(url: string): Promise<Array<{ event: string; data: JobEvent }>> {
  const response = await fetch(url);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
  assert.equal(response.headers.get('x-accel-buffering'), 'no', 'nginx must not buffer the events');
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block.includes('data:'))
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as JobEvent;
      return { event, data };
    });
}

describe('models over HTTP', () => {
  let t: TestApp;
  let base: string;
  before(async () => {
    const modelsDir = join((await import('node:os')).tmpdir(), `dlserve-models-${process.pid}-${Date.now()}`);
    await mkdir(modelsDir, { recursive: true });
    await writeTestRepository(modelsDir, await solid(8, 8, [10, 20, 30]));
    t = await startTestApp({ MODELS_DIR: modelsDir, DEFAULT_MODEL: 'swap-x2', MODEL_WORKERS: '1', ORT_INTRA_OP_THREADS: '1', TILE_WORKERS: '2' });
    await new Promise<void>((resolve) => t.app.getHttpServer().listen(0, '127.0.0.1', resolve));
    const address = t.app.getHttpServer().address() as { port: number };
    base = `http://127.0.0.1:${address.port}`;
  });
  after(() => t.close());

  it('lists every model with its state; broken ones are disabled with what to fix, the others serve', async () => {
    const { body } = await request(t.http).get('/api/models').expect(200);
    const list = body as ModelListResponse;
    assert.equal(list.defaultModel, 'swap-x2');
    const byName = new Map(list.models.map((model) => [model.name, model]));
    assert.deepEqual([...byName.keys()], ['bad-json', 'colour', 'fixed-tile', 'no-weights', 'swap-x2', 'wrong-input']);
    assert.equal(byName.get('swap-x2')!.status, 'ready');
    assert.equal(byName.get('swap-x2')!.scale, 2);
    assert.deepEqual(byName.get('swap-x2')!.examples, ['/api/models/swap-x2/examples/example.png']);
    assert.deepEqual(byName.get('swap-x2')!.title, { en: 'Swap ×2', zh: '红蓝互换 ×2' });
    assert.equal(byName.get('colour')!.status, 'ready');
    assert.equal(byName.get('colour')!.topK, 2);
    assert.match(byName.get('bad-json')!.error ?? '', /not JSON/);
    assert.match(byName.get('wrong-input')!.error ?? '', /input 'pixels' is not in the ONNX graph/);
    assert.match(byName.get('no-weights')!.error ?? '', /cannot read the weights/);
    for (const name of ['bad-json', 'wrong-input', 'no-weights']) assert.equal(byName.get(name)!.status, 'failed');

    const health = (await request(t.http).get('/api/health').expect(200)).body as HealthResponse;
    assert.deepEqual(health.models, { ready: 3, loading: 0, failed: 3 });
    await request(t.http).get('/api/models/swap-x2').expect(200);
    await request(t.http).get('/api/models/swap-x2/examples/example.png').expect(200).expect('Content-Type', 'image/png');
    await request(t.http).get('/api/models/swap-x2/examples/..%2Fmodel.json').expect(404);
  });

  // 37×23 is 12 tiles of 16 px with 2 px of context: the tile workers (2 × 4 tiles or more) run it;
  // 20×14 is 4 tiles: the model's own worker runs it.
  for (const [width, height] of [[37, 23], [20, 14]] as const) {
    it(`runs an image-to-image model on ${width}×${height}: every input pixel, channels swapped, ×2, tiled seamlessly`, async () => {
      const input = await pattern(width, height);
      const { body } = await request(t.http).post('/api/models/swap-x2').attach('the_file', input, 'p.png').expect(200);
      const response = body as ImageToImageResponse;
      assert.equal(response.task, 'image-to-image');
      assert.equal(response.result, response.files[0]!.result);
      const file = response.files[0]!;
      assert.deepEqual([file.inputWidth, file.inputHeight, file.width, file.height, file.format], [width, height, width * 2, height * 2, 'png']);
      const result = await rawRgb(await readFile(join(t.config.assetsDir, file.result.slice('/assets/'.length))));
      const source = await rawRgb(input);
      for (let y = 0; y < height * 2; y++) {
        for (let x = 0; x < width * 2; x++) {
          const from = (Math.floor(y / 2) * width + Math.floor(x / 2)) * 3;
          const to = (y * width * 2 + x) * 3;
          assert.deepEqual([...result.pixels.subarray(to, to + 3)], [source.pixels[from + 2], source.pixels[from + 1], source.pixels[from]], `pixel ${x},${y}`);
        }
      }
      await request(t.http).get(file.result).expect(200).expect('Content-Type', 'image/png');
    });
  }

  it('runs a classifier: top-k labels with probabilities, best first', async () => {
    const { body } = await request(t.http)
      .post('/api/models/colour')
      .attach('the_file', await solid(20, 10, [250, 10, 10]), 'red.png')
      .attach('the_file', await solid(5, 5, [0, 0, 200]), 'blue.png')
      .expect(200);
    const response = body as ClassificationResponse;
    assert.deepEqual(response.files.map((file) => file.labels[0]!.label), ['red', 'blue']);
    assert.equal(response.files[0]!.labels.length, 2);
    assert.ok(response.files[0]!.labels[0]!.score > response.files[0]!.labels[1]!.score);
    const three = (await request(t.http).post('/api/models/colour?topK=3').attach('the_file', await solid(4, 4, [0, 255, 0]), 'g.png').expect(200)).body as ClassificationResponse;
    assert.equal(three.files[0]!.labels.length, 3);
    assert.equal(three.files[0]!.labels[0]!.label, 'green');
    assert.ok(Math.abs(three.files[0]!.labels.reduce((sum, label) => sum + label.score, 0) - 1) < 1e-5);
  });

  it('serves POST /api/process with the default model', async () => {
    const { body } = await request(t.http).post('/api/process').attach('the_file', await solid(8, 8, [1, 2, 3]), 'x.png').expect(200);
    assert.equal((body as ImageToImageResponse).model, 'swap-x2');
  });

  it('runs as a job with ?async=1: 202, progress events by tile, the result kept for reading', async () => {
    const accepted = (await request(t.http).post('/api/models/swap-x2?async=1').attach('the_file', await pattern(40, 40), 'p.png').expect(202)).body as JobAccepted;
    assert.equal(accepted.events, `/api/jobs/${accepted.id}/events`);
    const events = await readEvents(`${base}${accepted.events}`);
    const last = events.at(-1)!;
    assert.equal(last.event, 'done');
    assert.equal(last.data.type, 'done');
    const progress = events.filter((event) => event.data.type === 'progress').map((event) => event.data as Extract<JobEvent, { type: 'progress' }>);
    assert.ok(progress.length >= 1, 'at least the progress so far');
    const status = (await request(t.http).get(accepted.status).expect(200)).body as JobStatus;
    assert.equal(status.state, 'done');
    assert.equal(status.progress, 1);
    assert.equal(status.result?.task, 'image-to-image');
    // The header form asks for the same.
    await request(t.http).post('/api/models/swap-x2').set('Prefer', 'respond-async').attach('the_file', await pattern(8, 8), 'p.png').expect(202);
  });

  it('streams a job’s whole life when followed from the start', async () => {
    // Two jobs: the first keeps the tile workers busy (thousands of 16-px tiles),
    // so the second is still waiting when we start following it.
    const first = (await request(t.http).post('/api/models/swap-x2?async=1').attach('the_file', await pattern(600, 600), 'a.png').expect(202)).body as JobAccepted;
    const second = (await request(t.http).post('/api/models/swap-x2?async=1').attach('the_file', await pattern(64, 64), 'b.png').expect(202)).body as JobAccepted;
    const events = await readEvents(`${base}${second.events}`);
    const types = events.map((event) => event.data.type);
    assert.deepEqual([types[0], types.at(-1)], ['queued', 'done'], types.join(','));
    assert.equal((events[0]!.data as Extract<JobEvent, { type: 'queued' }>).position, 0, 'the first job runs, none waits ahead');
    assert.ok(types.indexOf('running') > 0, types.join(','));
    const tiles = events.flatMap((event) => (event.data.type === 'progress' ? [event.data] : []));
    assert.equal(tiles.length, 36, 'one progress event per tile (6 × 6 tiles of 16 px with 2 px of context)');
    assert.deepEqual(tiles.map((tile) => tile.tilesDone), Array.from({ length: 36 }, (_, i) => i + 1));
    // The first left the worker before the second started; let it finish before the next test.
    let firstStatus: JobStatus;
    do {
      firstStatus = (await request(t.http).get(first.status)).body as JobStatus;
      assert.notEqual(firstStatus.state, 'queued');
      await new Promise((resolve) => setTimeout(resolve, 50));
    } while (firstStatus.state === 'running');
    assert.equal(firstStatus.state, 'done');
  });

  it('fails cleanly: unknown and disabled models, a model error for one request only, unknown jobs', async () => {
    const png = await solid(8, 8, [1, 2, 3]);
    const missing = (await request(t.http).post('/api/models/nope').attach('the_file', png, 'x.png').expect(404)).body as ApiError;
    assert.equal(missing.error, 'not_found');
    const disabled = (await request(t.http).post('/api/models/wrong-input').attach('the_file', png, 'x.png').expect(503)).body as ApiError;
    assert.equal(disabled.error, 'model_unavailable');
    assert.match(disabled.message, /disabled/);

    // fixed-tile accepts only 16×16 tiles: an 8×8 image makes the model itself fail.
    const before = await t.filesOnDisk();
    const failed = (await request(t.http).post('/api/models/fixed-tile').attach('the_file', png, 'small.png').expect(500)).body as ApiError;
    assert.equal(failed.error, 'inference_failed');
    assert.equal(failed.file, 'small.png');
    assert.deepEqual(await t.filesOnDisk(), before, 'nothing left behind');
    // …and the same workers go on serving.
    await request(t.http).post('/api/models/fixed-tile').attach('the_file', await pattern(16, 16), 'ok.png').expect(200);

    const job = (await request(t.http).post('/api/models/fixed-tile?async=1').attach('the_file', png, 'small.png').expect(202)).body as JobAccepted;
    const events = await readEvents(`${base}${job.events}`);
    assert.equal(events.at(-1)!.data.type, 'failed');
    assert.equal(((await request(t.http).get(job.status)).body as JobStatus).error?.error, 'inference_failed');

    assert.equal(((await request(t.http).get('/api/jobs/nope').expect(404)).body as ApiError).error, 'not_found');
    await request(t.http).get('/api/jobs/nope/events').expect(404);
    const bad = (await request(t.http).post('/api/models/swap-x2?topK=x').attach('the_file', png, 'x.png').expect(400)).body as ApiError;
    assert.equal(bad.error, 'invalid_option');
    await request(t.http).post('/api/models/swap-x2').attach('the_file', Buffer.from('text'), 'x.png').expect(415);
  });
});

describe('a model with a full queue', () => {
  let t: TestApp;
  before(async () => {
    const modelsDir = join((await import('node:os')).tmpdir(), `dlserve-queue-${process.pid}-${Date.now()}`);
    await mkdir(modelsDir, { recursive: true });
    await writeTestRepository(modelsDir, await solid(8, 8, [10, 20, 30]));
    t = await startTestApp({ MODELS_DIR: modelsDir, MODELS: 'swap-x2', MAX_QUEUE: '1' });
  });
  after(() => t.close());

  it('refuses new work at once with 503 busy and Retry-After instead of piling uploads up in memory', async () => {
    const running = (await request(t.http).post('/api/models/swap-x2?async=1').attach('the_file', await pattern(1200, 1200), 'a.png').expect(202)).body as JobAccepted;
    // MAX_QUEUE=1: the model has one request in hand until it is done.
    const answer = await request(t.http).post('/api/models/swap-x2').attach('the_file', await pattern(8, 8), 'c.png').expect(503);
    assert.equal(answer.headers['retry-after'], '5');
    const refused = answer.body as ApiError;
    assert.equal(refused.error, 'busy');
    assert.match(refused.message, /in hand/);
    assert.notEqual(((await request(t.http).get(running.status)).body as JobStatus).state, 'done', 'the first was still running');
    let status: JobStatus;
    do {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await request(t.http).get(running.status)).body as JobStatus;
    } while (status.state !== 'done');
    await request(t.http).post('/api/models/swap-x2').attach('the_file', await pattern(8, 8), 'c.png').expect(200);
  });
});
