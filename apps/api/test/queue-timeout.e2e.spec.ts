import type { ApiError, JobAccepted, JobStatus, ModelSummary } from '@dlserve/shared';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import request from 'supertest';
import { startTestApp, type TestApp } from './app.js';
import { swapManifest, swapUpscaleOnnx, writeModel } from './models.js';
import { ModelRegistry } from '../src/serving/lifecycle/model-registry.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A picture whose every pixel differs (a PNG that does not compress to nothing). */
async function pattern(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7) % 251;
  return sharp(pixels, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

async function eventually(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = performance.now() + ms;
  while (!check()) {
    if (performance.now() > deadline) assert.fail(`not within ${ms} ms: ${what}`);
    await sleep(20);
  }
}

const BOUNDARY = 'dlserve-ops-boundary';
function multipartHead(): Buffer {
  return Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="the_file"; filename="x.png"\r\nContent-Type: image/png\r\n\r\n`);
}

/**
 * A raw POST: `send` is written, then, after `ms`, the socket is destroyed (a client that gives
 * up) unless the answer came first. Resolves with the status, or null when it gave up.
 */
function rawPost(port: number, path: string, send: Buffer, declaredLength: number, ms: number): Promise<number | null> {
  return new Promise((resolve) => {
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      path,
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': declaredLength },
    });
    req.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? null);
    });
    req.on('error', () => resolve(null));
    req.write(send);
    setTimeout(() => {
      req.destroy();
      resolve(null);
    }, ms);
  });
}

describe('per-model queue limit, time limit and clients that go away', () => {
  let t: TestApp;
  let port: number;
  let registry: ModelRegistry;
  let big: Buffer;
  before(async () => {
    const modelsDir = await mkdtemp(join(tmpdir(), 'dlserve-ops-models-'));
    await writeModel(modelsDir, swapManifest('swap-x2'), swapUpscaleOnnx());
    await writeModel(modelsDir, { ...swapManifest('quick-x2'), examples: [], scheduler: { requestTimeoutSeconds: 1 } }, swapUpscaleOnnx());
    // 16-px tiles: a 1200×1200 picture is thousands of units, seconds of work.
    t = await startTestApp({ MODELS_DIR: modelsDir, MAX_QUEUE: '2', TILE_WORKERS: '0', REQUEST_TIMEOUT_SECONDS: '60', RETRY_AFTER_SECONDS: '3' });
    await new Promise<void>((resolve) => t.http.listen(0, '127.0.0.1', resolve));
    port = (t.http.address() as AddressInfo).port;
    registry = t.app.get(ModelRegistry);
    big = await pattern(1200, 1200);
  });
  after(() => t.close());

  it('shows the queue in the model summary; when full, answers 503 busy with Retry-After before reading the upload', async () => {
    const first = (await request(t.http).post('/api/models/swap-x2?async=1').attach('the_file', big, 'a.png').expect(202)).body as JobAccepted;
    const second = (await request(t.http).post('/api/models/swap-x2?async=1').attach('the_file', big, 'b.png').expect(202)).body as JobAccepted;
    const summary = (await request(t.http).get('/api/models/swap-x2').expect(200)).body as ModelSummary;
    assert.deepEqual(summary.queue, { inHand: 2, limit: 2 });
    // The second job waits behind the first, and says where it stands.
    const status = (await request(t.http).get(second.status).expect(200)).body as JobStatus;
    assert.equal(status.state, 'queued');

    // A client that announces 20 MB and sends only the head of it: refused at once, not after the upload.
    const code = await rawPost(port, '/api/models/swap-x2', multipartHead(), 20_000_000, 3000);
    assert.equal(code, 503, 'answered without the body: refused at once, not after the upload');
    const refused = await request(t.http).post('/api/models/swap-x2').attach('the_file', await pattern(8, 8), 'c.png').expect(503);
    assert.equal(refused.headers['retry-after'], '3');
    assert.equal((refused.body as ApiError).error, 'busy');

    await request(t.http).delete(first.status).expect(200);
    await request(t.http).delete(second.status).expect(200);
    await eventually(() => registry.inHand('swap-x2') === 0, 5000, 'both released');
  });

  it('a request refused for its upload or options leaves nothing in hand', async () => {
    await request(t.http).post('/api/models/swap-x2').attach('the_file', Buffer.from('%PDF-1.4 not an image'), 'x.png').expect(415);
    await request(t.http).post('/api/models/swap-x2?tile=banana').attach('the_file', await pattern(8, 8), 'x.png').expect(400);
    await request(t.http).post('/api/models/swap-x2').attach('other_field', await pattern(8, 8), 'x.png').expect(400);
    assert.equal(registry.inHand('swap-x2'), 0);
  });

  it('a client that goes away mid-upload leaves nothing in hand', async () => {
    const status = await rawPost(port, '/api/models/swap-x2', Buffer.concat([multipartHead(), big.subarray(0, 1000)]), big.length + 500, 300);
    assert.equal(status, null);
    await eventually(() => registry.inHand('swap-x2') === 0, 2000, 'its admission released');
    assert.deepEqual(await t.filesOnDisk(), { assets: [], uploads: [] });
  });

  it('a client that goes away while queued is dropped from the queue: its work never starts, nothing is kept', async () => {
    const group = registry.ready('swap-x2').main;
    const running = (await request(t.http).post('/api/models/swap-x2?async=1').attach('the_file', big, 'a.png').expect(202)).body as JobAccepted;
    await eventually(() => group.stats().running > 0, 5000, 'the first started');
    const before = group.stats().units;
    // A small file queued behind thousands of tiles, abandoned while it waits.
    const body = Buffer.concat([multipartHead(), await pattern(32, 32), Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]);
    assert.equal(await rawPost(port, '/api/models/swap-x2', body, body.length, 400), null);
    await eventually(() => registry.inHand('swap-x2') === 1, 2000, 'the abandoned request released at once, the job still in hand');
    let job: JobStatus;
    do {
      await sleep(100);
      job = (await request(t.http).get(running.status)).body as JobStatus;
    } while (job.state !== 'done');
    const ran = group.stats().units - before;
    const jobTiles = Math.ceil(1200 / 12) ** 2; // tiles of 16 with an overlap of 2 each side: 12 px of output each
    assert.ok(ran <= jobTiles + 1, `only the job's tiles ran after it started (${ran}, the job has about ${jobTiles})`);
    const onDisk = await t.filesOnDisk();
    assert.equal(onDisk.assets.length, 1, `only the job's result: ${onDisk.assets.join(' ')}`);
  });

  it('a request over its time limit (its manifest’s) gets 504 timeout, its work stopped, nothing written', async () => {
    const group = registry.ready('quick-x2').main;
    const assetsBefore = (await t.filesOnDisk()).assets;
    const answer = await request(t.http).post('/api/models/quick-x2').attach('the_file', big, 'slow.png');
    assert.equal(answer.status, 504, JSON.stringify(answer.body));
    const body = answer.body as ApiError;
    assert.equal(body.error, 'timeout');
    assert.match(body.message, /within 1 s/);
    await eventually(() => group.stats().queued === 0 && group.stats().running === 0, 3000, 'its work stopped');
    const units = group.stats().units;
    await sleep(300);
    assert.equal(group.stats().units, units, 'nothing more ran');
    assert.deepEqual((await t.filesOnDisk()).assets, assetsBefore, 'nothing saved');
    assert.equal(registry.inHand('quick-x2'), 0);
    await request(t.http).post('/api/models/quick-x2').attach('the_file', await pattern(16, 16), 'small.png').expect(200);
  });
});

describe('JOB_TIMEOUT_SECONDS', () => {
  let t: TestApp;
  before(async () => {
    const modelsDir = await mkdtemp(join(tmpdir(), 'dlserve-ops-models-'));
    await writeModel(modelsDir, swapManifest('swap-x2'), swapUpscaleOnnx());
    t = await startTestApp({ MODELS_DIR: modelsDir, TILE_WORKERS: '0', JOB_TIMEOUT_SECONDS: '1' });
  });
  after(() => t.close());

  it('fails a job that takes longer with timeout, its work stopped, nothing saved', async () => {
    const accepted = (await request(t.http).post('/api/models/swap-x2?async=1').attach('the_file', await pattern(1200, 1200), 'slow.png').expect(202)).body as JobAccepted;
    const started = performance.now();
    let status: JobStatus;
    do {
      await sleep(100);
      status = (await request(t.http).get(accepted.status).expect(200)).body as JobStatus;
    } while ((status.state === 'queued' || status.state === 'running') && performance.now() - started < 10_000);
    assert.equal(status.state, 'failed', JSON.stringify(status));
    assert.equal(status.error?.error, 'timeout');
    assert.match(status.error?.message ?? '', /within 1 s/);
    const group = t.app.get(ModelRegistry).ready('swap-x2').main;
    await eventually(() => group.stats().queued === 0 && group.stats().running === 0, 3000, 'its work stopped');
    assert.deepEqual((await t.filesOnDisk()).assets, [], 'nothing saved');
  });
});
