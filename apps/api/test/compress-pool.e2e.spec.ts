import type { ApiError, CompressResponse } from '@dlserve/shared';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import request from 'supertest';
import { ImageCodec } from '../src/infrastructure/imaging/image-codec.js';
import { CompressionPool } from '../src/tasks/compression/compression-pool.js';
import { startTestApp, type TestApp } from './app.js';
import { cpuDuring, describeCpu, mainThreadShare } from './cpu-time.js';
import { readPhoto } from './images.js';
import { healthLatencies, percentile } from './health-probe.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** The photo enlarged to about 8 MP: many seconds of compression, long enough to be caught running. */
async function largePhoto(): Promise<Buffer> {
  return sharp(await readPhoto('hubble_deep_field.jpg')).resize(3000).jpeg({ quality: 92 }).toBuffer();
}

/** The app listening on a port of its own, for clients that go away (fetch with an AbortSignal). */
async function listening(t: TestApp): Promise<string> {
  await new Promise<void>((resolve) => t.http.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(t.http.address() as AddressInfo).port}`;
}

describe('POST /api/compress with COMPRESS_MAX_QUEUE=1', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ COMPRESS_MAX_QUEUE: '1', COMPRESS_WORKERS: '1' });
    await listening(t);
  });
  after(() => t.close());

  it('refuses a second concurrent request with 503 busy and Retry-After at once, and writes nothing for it', async () => {
    const pool = t.app.get(CompressionPool);
    const first = request(t.http).post('/api/compress').attach('the_file', await readPhoto('hubble_deep_field.jpg'), 'first.jpg').then((r) => r);
    await waitFor('the first request on a worker', () => pool.activity().tasksInFlight === 1);

    const refused = await request(t.http).post('/api/compress').attach('the_file', await readPhoto('rocket.jpg'), 'second.jpg');
    assert.equal(refused.status, 503);
    assert.equal(refused.headers['retry-after'], '5');
    assert.match(refused.headers['content-type'] ?? '', /json/);
    const body = refused.body as ApiError;
    assert.deepEqual([body.statusCode, body.error], [503, 'busy']);
    assert.match(body.message, /in hand/);
    assert.equal(pool.activity().tasksInFlight, 1, 'refused at once: the first was still running');

    const done = await first;
    assert.equal(done.status, 200);
    const { assets } = await t.filesOnDisk();
    assert.deepEqual(assets, [(done.body as CompressResponse).result.slice('/assets/'.length)], 'only the first one’s result');
    assert.equal(pool.activity().requestsInHand, 0, 'released when it finished');
    await request(t.http).post('/api/compress').attach('the_file', await readPhoto('chelsea.png'), 'third.png').expect(200);
  });

  it('releases a request that fails as well as one that succeeds', async () => {
    for (let i = 0; i < 3; i++) {
      await request(t.http).post('/api/compress').attach('the_file', Buffer.from('not an image'), 'x.png').expect(415);
    }
    await request(t.http).post('/api/compress').field('format', 'bmp').attach('the_file', await readPhoto('rocket.jpg'), 'y.jpg').expect(400);
    assert.equal(t.app.get(CompressionPool).activity().requestsInHand, 0);
  });
});

describe('POST /api/compress on the worker pool', () => {
  let t: TestApp;
  let base: string;
  before(async () => {
    t = await startTestApp();
    base = await listening(t);
  });
  after(() => t.close());

  it('answers a file that only the worker finds damaged with the same 4xx as the edge check', async (context) => {
    // The edge check (ParseImagesPipe, on this thread) is told every file is fine, so the bad
    // bytes reach the worker, whose ImageCodec is its own and still checks.
    const good = await new ImageCodec().inspect(await readPhoto('rocket.jpg'));
    context.mock.method(ImageCodec.prototype, 'inspect', async () => good);
    const jpeg = await readPhoto('rocket.jpg');
    const before = await t.filesOnDisk();

    const cut = await request(t.http).post('/api/compress').attach('the_file', jpeg.subarray(0, jpeg.length >> 1), 'cut.jpg').expect(422);
    assert.deepEqual(cut.body, { statusCode: 422, error: 'corrupt_image', message: (cut.body as ApiError).message, file: 'cut.jpg' });
    assert.match((cut.body as ApiError).message, /damaged or incomplete/);

    const text = await request(t.http)
      .post('/api/compress')
      .attach('the_file', jpeg, 'good.jpg')
      .attach('the_file', Buffer.from('<html>not an image</html>'), 'page.png')
      .expect(415);
    assert.equal((text.body as ApiError).error, 'not_an_image');
    assert.equal((text.body as ApiError).file, 'page.png');
    assert.deepEqual(await t.filesOnDisk(), before, 'the good file’s result is removed with the request');
  });

  it('keeps the event loop free while 40 uploads of a photo compress: health answers throughout, the work runs on the pool', async (context) => {
    const photo = await readPhoto('rocket.jpg'); // 640×427: a real photo, small enough for a test
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const started = performance.now();
    const uploads = Promise.all(
      Array.from({ length: 40 }, (_, i) => request(t.http).post('/api/compress').attach('the_file', photo, `p${i}.jpg`).then((r) => r)),
    );
    const { result: sorted, cpu } = await cpuDuring(healthLatencies(t, uploads));
    delay.disable();
    const responses = await uploads;
    const seconds = (performance.now() - started) / 1000;

    const statuses = responses.map((r) => r.status);
    assert.ok(statuses.every((s) => s === 200 || s === 503), `200 or 503 only: ${statuses.join(' ')}`);
    const ok = statuses.filter((s) => s === 200).length;
    assert.ok(ok >= 32, `COMPRESS_MAX_QUEUE (32) of them at least were compressed, got ${ok}`);
    for (const r of responses.filter((r) => r.status === 503)) assert.equal((r.body as ApiError).error, 'busy');

    // The latencies are figures for bench:event-loop, not bounds for a test.
    context.diagnostic(
      `${ok} × 200, ${40 - ok} × 503 in ${seconds.toFixed(1)} s; health n=${sorted.length} p50 ${percentile(sorted, 50).toFixed(1)} ` +
        `p95 ${percentile(sorted, 95).toFixed(1)} p99 ${percentile(sorted, 99).toFixed(1)} max ${sorted.at(-1)!.toFixed(1)} ms; ` +
        `longest event-loop delay ${(delay.max / 1e6).toFixed(0)} ms; ${describeCpu(cpu)}`,
    );
    assert.ok(sorted.length >= 20, `health was asked and answered 200 throughout (${sorted.length} times)`);
    assert.ok(mainThreadShare(cpu) < 0.3, `the CPU work should be off the event loop’s thread: ${describeCpu(cpu)}`);
    assert.equal(t.app.get(CompressionPool).activity().requestsInHand, 0);
  });

  it('drops the work of a client that goes away, stops its worker and removes its results', async () => {
    const pool = t.app.get(CompressionPool);
    const before = await t.filesOnDisk();
    const workersBefore = pool.activity().workers;
    const form = new FormData();
    form.append('the_file', new Blob([new Uint8Array(await readPhoto('rocket.jpg'))]), 'small-first.jpg');
    form.append('the_file', new Blob([new Uint8Array(await largePhoto())]), 'large.jpg');
    const client = new AbortController();
    const response = fetch(`${base}/api/compress`, { method: 'POST', body: form, signal: client.signal }).catch((error: unknown) => error);

    // The first result written, the large image on a worker: then the client leaves.
    await waitFor('the large image running', async () => (await t.filesOnDisk()).assets.length > before.assets.length && pool.activity().tasksInFlight === 1);
    client.abort();
    assert.equal(((await response) as Error).name, 'AbortError');

    await waitFor('the pool idle, the stopped worker replaced', () => {
      const { requestsInHand, tasksInFlight, tasksQueued, workers } = pool.activity();
      const replaced = workers.length === workersBefore.length && workers.some((id) => !workersBefore.includes(id));
      return requestsInHand === 0 && tasksInFlight === 0 && tasksQueued === 0 && replaced;
    }, 5000);
    await waitFor('the first result removed', async () => (await t.filesOnDisk()).assets.length === before.assets.length, 5000);
    assert.deepEqual(await t.filesOnDisk(), before);
    await request(t.http).post('/api/compress').attach('the_file', await readPhoto('chelsea.png'), 'after.png').expect(200);
  });
});
