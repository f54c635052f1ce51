import type { ClassificationResponse, JobAccepted, JobStatus } from '@dlserve/shared';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import request from 'supertest';
import { ModelRegistry } from '../src/serving/lifecycle/model-registry.js';
import { countTiles } from '../src/tasks/super-resolution/tiling.js';
import { startTestApp, type TestApp } from './app.js';
import { readPhoto } from './images.js';
import { cpuDuring, describeCpu, mainThreadShare } from './cpu-time.js';
import { healthLatencies, percentile } from './health-probe.js';

/**
 * The serving core with real models: requests batched across clients, each answer to its own
 * request; cancellation by a client that goes away and by DELETE /api/jobs/<id>.
 */
const MODELS_DIR = fileURLToPath(new URL('../../../../models/', import.meta.url));
const WORDS = ['Serving models', 'to the web', 'Batches of lines', 'upside down', 'Pictures of text', 'read by people', 'in every size', 'and any font'];
const FONTS = ['DejaVu Serif', 'DejaVu Sans', 'Liberation Sans', 'Liberation Serif'];

/** A line of text as a scanner would give it, upright or turned by 180°. */
function line(text: string, font: string, upsideDown: boolean): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="420" height="64"><rect width="100%" height="100%" fill="#f8f6f0"/><text x="12" y="44" font-family="${font}" font-size="34" fill="#1d1d1d">${text}</text></svg>`;
  const image = sharp(Buffer.from(svg));
  return (upsideDown ? image.rotate(180) : image).png().toBuffer();
}

/** Sends a request on a raw socket and destroys it after `ms`: a client that gives up. */
function abandon(port: number, path: string, file: Buffer, ms: number): Promise<void> {
  const boundary = 'dlserve-test-boundary';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="the_file"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': body.length } });
    req.on('error', () => resolve());
    req.end(body);
    setTimeout(() => {
      req.destroy();
      resolve();
    }, ms);
  });
}

/** Waits until `check` holds, or fails after `ms`. */
async function eventually(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = performance.now() + ms;
  while (!check()) {
    if (performance.now() > deadline) assert.fail(`not within ${ms} ms: ${what}`);
    await sleep(20);
  }
}

describe('the serving core with real models', () => {
  let t: TestApp;
  let port: number;
  let registry: ModelRegistry;
  before(async () => {
    t = await startTestApp({ MODELS_DIR, MODELS: 'text-direction,esrgan-slim-x2', TILE_WORKERS: '2' });
    await new Promise<void>((resolve) => t.http.listen(0, '127.0.0.1', resolve));
    port = (t.http.address() as AddressInfo).port;
    registry = t.app.get(ModelRegistry);
  });
  after(() => t.close());

  it('text-direction tells its upright example from its upside-down one', async () => {
    for (const [file, expected] of [['line.png', 'upright'], ['line-upside-down.png', 'upside down']] as const) {
      const data = await readFile(`${MODELS_DIR}/text-direction/${file}`);
      const response = await request(t.http).post('/api/models/text-direction').attach('the_file', data, file).expect(200);
      const [best] = (response.body as ClassificationResponse).files[0]!.labels;
      assert.equal(best!.label, expected, `${file}: ${JSON.stringify(best)}`);
      assert.ok(best!.score > 0.9, `${file}: sure of it (${best!.score.toFixed(3)})`);
    }
  });

  it('batches concurrent requests into shared tensors, each answer going back to its own request, equal to its answer alone', async (context) => {
    const inputs = await Promise.all(
      Array.from({ length: 24 }, async (_, i) => {
        const upsideDown = i % 3 === 1;
        return { upsideDown, data: await line(WORDS[i % WORDS.length]!, FONTS[i % FONTS.length]!, upsideDown) };
      }),
    );
    const alone: number[] = [];
    for (const input of inputs.slice(0, 6)) {
      const response = await request(t.http).post('/api/models/text-direction').attach('the_file', input.data, 'line.png').expect(200);
      alone.push(labelScore(response.body as ClassificationResponse, 'upright'));
    }
    const before = registry.ready('text-direction').main.stats();
    const together = await Promise.all(
      inputs.map((input) => request(t.http).post('/api/models/text-direction').attach('the_file', input.data, 'line.png').expect(200)),
    );
    const stats = registry.ready('text-direction').main.stats();
    const [batches, units] = [stats.batches - before.batches, stats.units - before.units];
    context.diagnostic(`24 concurrent requests ran in ${batches} batches (mean ${(units / batches).toFixed(1)} per batch)`);
    assert.equal(units, 24);
    assert.ok(batches < 24, `${units} inputs ran in ${batches} batches: some shared a tensor`);
    for (const [i, response] of together.entries()) {
      const best = (response.body as ClassificationResponse).files[0]!.labels[0]!;
      assert.equal(best.label, inputs[i]!.upsideDown ? 'upside down' : 'upright', `request ${i} got its own answer`);
      if (i < alone.length) assert.ok(Math.abs(labelScore(response.body as ClassificationResponse, 'upright') - alone[i]!) < 1e-4, `request ${i}: batched = alone`);
    }
  });

  it('batches the files of one upload too, answering them in the order sent; a bad file fails the request, naming it', async (context) => {
    const inputs = await Promise.all(Array.from({ length: 16 }, (_, i) => line(WORDS[i % WORDS.length]!, FONTS[(i + 1) % FONTS.length]!, i % 2 === 0)));
    const before = registry.ready('text-direction').main.stats();
    let upload = request(t.http).post('/api/models/text-direction');
    for (const [i, data] of inputs.entries()) upload = upload.attach('the_file', data, `line-${i}.png`);
    const body = (await upload.expect(200)).body as ClassificationResponse;
    const stats = registry.ready('text-direction').main.stats();
    const batches = stats.batches - before.batches;
    context.diagnostic(`one upload of 16 files ran in ${batches} batches`);
    assert.ok(batches < 16, `${batches} batches for 16 files`);
    assert.deepEqual(body.files.map((file) => file.name), inputs.map((_, i) => `line-${i}.png`));
    for (const [i, file] of body.files.entries()) assert.equal(file.labels[0]!.label, i % 2 === 0 ? 'upside down' : 'upright', file.name);

    const truncated = (await sharp(inputs[0]!).jpeg().toBuffer()).subarray(0, 400);
    let bad = request(t.http).post('/api/models/text-direction');
    for (const [i, data] of inputs.slice(0, 5).entries()) bad = bad.attach('the_file', i === 3 ? truncated : data, `line-${i}.${i === 3 ? 'jpg' : 'png'}`);
    const refused = await bad;
    assert.ok(refused.status >= 400 && refused.status < 500, `a 4xx, not ${refused.status}`);
    assert.equal((refused.body as { file?: string }).file, 'line-3.jpg');
  });

  it('keeps the event loop free under 40 compressions and 16 model requests at once: health answers throughout, the work is off its thread', async (context) => {
    const photo = await readPhoto('rocket.jpg'); // 640×427: a real photo, small enough for a test
    const crop = await sharp(await readPhoto('coffee.png')).extract({ left: 200, top: 100, width: 200, height: 150 }).png().toBuffer();
    const started = performance.now();
    const work = Promise.all([
      ...Array.from({ length: 40 }, (_, i) => request(t.http).post('/api/compress').attach('the_file', photo, `p${i}.jpg`).then((r) => r.status)),
      ...Array.from({ length: 16 }, (_, i) => request(t.http).post('/api/models/esrgan-slim-x2').attach('the_file', crop, `c${i}.png`).then((r) => r.status)),
    ]);
    const { result: sorted, cpu } = await cpuDuring(healthLatencies(t, work));
    const statuses = await work;
    context.diagnostic(
      `${(performance.now() - started).toFixed(0)} ms; statuses ${[...new Set(statuses)].map((s) => `${s} ×${statuses.filter((x) => x === s).length}`).join(', ')}; ` +
        `health n=${sorted.length} p50 ${percentile(sorted, 50).toFixed(1)} p95 ${percentile(sorted, 95).toFixed(1)} p99 ${percentile(sorted, 99).toFixed(1)} max ${sorted.at(-1)!.toFixed(1)} ms; ` +
        describeCpu(cpu),
    );
    assert.ok(statuses.slice(40).every((s) => s === 200), 'every model request answered');
    assert.ok(statuses.every((s) => s === 200 || s === 503), 'compressions answered or refused as busy');
    assert.ok(sorted.length >= 20, `health was asked and answered 200 throughout (${sorted.length} times)`);
    // Its latencies are figures for bench:event-loop (target: p99 under 50 ms), not bounds for a test.
    assert.ok(mainThreadShare(cpu) < 0.3, `the CPU work should be off the event loop’s thread: ${describeCpu(cpu)}`);
  });

  it('stops the work of a client that goes away: its queued tiles are dropped, nothing is kept, the model serves on', async () => {
    const big = await sharp(await readPhoto('coffee.png')).resize(640, 480).png().toBuffer();
    const tiles = registry.ready('esrgan-slim-x2').tiles!;
    const before = tiles.stats();
    const assetsBefore = (await t.filesOnDisk()).assets;
    await abandon(port, '/api/models/esrgan-slim-x2', big, 700);
    await eventually(() => tiles.stats().running > 0 || tiles.stats().units > before.units, 5000, 'the request started');
    await eventually(() => tiles.stats().queued === 0 && tiles.stats().running === 0, 5000, 'its work stopped');
    const ran = tiles.stats().units - before.units;
    const all = countTiles(640, 480, 128, 16);
    assert.ok(ran < all, `only ${ran} of its ${all} tiles ran`);
    assert.deepEqual((await t.filesOnDisk()).assets, assetsBefore, 'nothing saved');
    await request(t.http).post('/api/models/esrgan-slim-x2').attach('the_file', await sharp(big).resize(64, 48).png().toBuffer(), 'small.png').expect(200);
  });

  it('cancels a job with DELETE: state and events say cancelled, nothing is kept', async () => {
    const big = await sharp(await readPhoto('coffee.png')).resize(640, 480).png().toBuffer();
    const assetsBefore = (await t.filesOnDisk()).assets;
    const accepted = (await request(t.http).post('/api/models/esrgan-slim-x2?async=1').attach('the_file', big, 'big.png').expect(202)).body as JobAccepted;
    const events = fetch(`http://127.0.0.1:${port}${accepted.events}`).then((response) => response.text());
    await eventually(() => registry.ready('esrgan-slim-x2').tiles!.stats().running > 0, 5000, 'the job started');
    const cancelled = (await request(t.http).delete(accepted.status).expect(200)).body as JobStatus;
    assert.equal(cancelled.state, 'cancelled');
    assert.equal(cancelled.result, undefined);
    const stream = await events;
    assert.match(stream, /event: cancelled/);
    assert.doesNotMatch(stream, /event: done/);
    assert.equal(((await request(t.http).get(accepted.status).expect(200)).body as JobStatus).state, 'cancelled');
    assert.deepEqual((await t.filesOnDisk()).assets, assetsBefore, 'nothing saved');
    const again = (await request(t.http).delete(accepted.status).expect(200)).body as JobStatus;
    assert.equal(again.state, 'cancelled', 'cancelling again changes nothing');
  });
});

function labelScore(body: ClassificationResponse, label: string): number {
  return body.files[0]!.labels.find((each) => each.label === label)!.score;
}
