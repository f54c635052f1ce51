import type { ApiError, JobAccepted, JobStatus } from '@dlserve/shared';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import request from 'supertest';
import { startTestApp, type TestApp } from '../app.js';
import { cpuDuring } from '../cpu-time.js';
import { buildCorpus, type Corpus, type HostileCase } from './corpus.js';

const MODELS_DIR = fileURLToPath(new URL('../../../../../models/', import.meta.url));
const MODEL = 'esrgan-slim-x2';
const MiB = 1024 * 1024;

/** The upload endpoints every case goes to. */
const ENDPOINTS = ['/api/compress', `/api/models/${MODEL}`, `/api/models/${MODEL}?async=1`, '/api/uploads'] as const;

type Answer = { status: number; body: unknown };

function upload(t: TestApp, endpoint: string, file: HostileCase): Promise<Answer> {
  return request(t.http)
    .post(endpoint)
    .attach('the_file', file.data, { filename: file.name, contentType: file.mimeType })
    .timeout(30_000)
    .then((response) => ({ status: response.status, body: response.body as unknown }));
}

function assertExplained(answer: Answer, what: string): void {
  const body = answer.body as Partial<ApiError>;
  assert.equal(typeof body.error, 'string', `${what}: an error code (${JSON.stringify(body)})`);
  assert.ok(typeof body.message === 'string' && body.message.length > 10, `${what}: a message saying what is wrong`);
  assert.equal(body.statusCode, answer.status, `${what}: statusCode in the body`);
}

async function waitForJob(t: TestApp, id: string): Promise<JobStatus> {
  for (let i = 0; i < 600; i++) {
    const status = (await request(t.http).get(`/api/jobs/${id}`).expect(200)).body as JobStatus;
    if (status.state === 'done' || status.state === 'failed' || status.state === 'cancelled') return status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`job ${id} did not finish`);
}

describe('hostile input (a generated corpus against every upload endpoint)', () => {
  let t: TestApp;
  let corpus: Corpus;
  let tempRoot: string;
  let baselineRss = 0;
  /** The stores and the temp folder once warm (the warm-up's results; ONNX Runtime's start-up files). */
  let warm: { assets: string[]; uploads: string[]; temp: string[] };
  const previousTmp = process.env.TMPDIR;

  before(async () => {
    // A temporary folder of the test's own, so that "nothing left in the temp folder" can be checked
    // without the rest of the machine: the test app's stores are made inside it too.
    tempRoot = await mkdtemp(join(tmpdir(), 'dlserve-hostile-'));
    process.env.TMPDIR = tempRoot;
    t = await startTestApp({ MODELS_DIR, MODELS: MODEL, MODEL_WORKERS: '1' });
    corpus = await buildCorpus();
    // Warm both paths up so the baseline includes the pools, the model and sharp's caches.
    const photo = await sharp({ create: { width: 96, height: 64, channels: 3, background: '#468' } }).png().toBuffer();
    await request(t.http).post('/api/compress').attach('the_file', photo, 'warm.png').expect(200);
    await request(t.http).post(`/api/models/${MODEL}`).attach('the_file', photo, 'warm.png').expect(200);
    warm = { ...(await t.filesOnDisk()), temp: (await readdir(tempRoot)).sort() };
    global.gc?.();
    baselineRss = process.memoryUsage().rss;
  });

  after(async () => {
    await t.close();
    await rm(tempRoot, { recursive: true, force: true });
    if (previousTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previousTmp;
  });

  it('has at least 100 cases', () => {
    assert.ok(corpus.refused.length + corpus.decodable.length >= 100, `${corpus.refused.length} + ${corpus.decodable.length}`);
    assert.ok(corpus.refused.length >= 100, `${corpus.refused.length} cases that must be refused`);
  });

  it('refuses every refused case on every endpoint with a 4xx that says what is wrong, writing nothing', async (context) => {
    const counts = new Map<number, number>();
    const started = performance.now();
    // The costliest refusal in CPU, not in time: a bomb decoded before it is refused costs seconds.
    let costliest = { cpuMs: 0, what: '' };
    for (const file of corpus.refused) {
      for (const endpoint of ENDPOINTS) {
        const { result: answer, cpu } = await cpuDuring(upload(t, endpoint, file));
        if (cpu.process > costliest.cpuMs) costliest = { cpuMs: cpu.process, what: `${file.label} → ${endpoint}` };
        counts.set(answer.status, (counts.get(answer.status) ?? 0) + 1);
        const what = `${file.label} → ${endpoint}`;
        assert.ok(answer.status >= 400 && answer.status < 500, `${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
        assertExplained(answer, what);
      }
    }
    const summary = [...counts].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`).join(', ');
    context.diagnostic(`${corpus.refused.length} cases × ${ENDPOINTS.length} endpoints in ${Math.round(performance.now() - started)} ms: ${summary}; costliest ${costliest.cpuMs} ms of CPU (${costliest.what})`);
    assert.ok(costliest.cpuMs < 2000, `every refusal is cheap: ${costliest.what} took ${costliest.cpuMs} ms of CPU`);
    assert.deepEqual(await t.filesOnDisk(), { assets: warm.assets, uploads: warm.uploads });
    assert.deepEqual((await readdir(tempRoot)).sort(), warm.temp);
  });

  it('answers every decodable (damaged, polyglot, oddly named) case with a 4xx or as the image it decodes as, never a 5xx', async (context) => {
    const counts = new Map<number, number>();
    for (const file of corpus.decodable) {
      for (const endpoint of ENDPOINTS) {
        const answer = await upload(t, endpoint, file);
        const what = `${file.label} → ${endpoint}`;
        counts.set(answer.status, (counts.get(answer.status) ?? 0) + 1);
        assert.ok([200, 201, 202].includes(answer.status) || (answer.status >= 400 && answer.status < 500), `${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
        if (answer.status >= 400) assertExplained(answer, what);
        if (answer.status === 202) {
          const job = await waitForJob(t, (answer.body as JobAccepted).id);
          assert.ok(job.state === 'done' || (job.error && job.error.statusCode < 500), `${what}: job ${job.state} ${JSON.stringify(job.error)}`);
        }
        if (answer.status === 200) {
          // Results get names of the store's making, never the client's.
          const body = answer.body as { files: Array<{ result: string }> };
          for (const { result } of body.files) assert.match(result, /^\/assets\/[A-Za-z0-9_-]{22}\.[a-z0-9]+$/, what);
        }
      }
    }
    const summary = [...counts].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`).join(', ');
    context.diagnostic(`${corpus.decodable.length} cases × ${ENDPOINTS.length} endpoints: ${summary}`);
    const { assets, uploads } = await t.filesOnDisk();
    for (const name of [...assets, ...uploads]) assert.match(name, /^[A-Za-z0-9_-]{22}\.[a-z0-9]+$/, 'only generated names in the stores');
  });

  it('is alive afterwards, back near its memory baseline, with nothing left in the temp folder', async (context) => {
    await request(t.http).get('/api/health').expect(200);
    global.gc?.();
    const rss = process.memoryUsage().rss;
    context.diagnostic(`RSS ${Math.round(baselineRss / MiB)} MiB after warm-up, ${Math.round(rss / MiB)} MiB after the corpus`);
    assert.ok(rss < baselineRss + 300 * MiB, `RSS grew from ${Math.round(baselineRss / MiB)} to ${Math.round(rss / MiB)} MiB`);
    // Nothing new in the temp folder: no spill files, no uploads, whatever was accepted or refused.
    assert.deepEqual((await readdir(tempRoot)).sort(), warm.temp);
  });

  it('compresses images at the edge of the side and aspect-ratio limits (strips within them), and refuses a format that cannot hold one', async () => {
    const strip = (width: number, height: number) =>
      sharp({ create: { width, height, channels: 3, background: '#39a' } }).composite([{ input: Buffer.from([255, 255, 255]), raw: { width: 1, height: 1, channels: 3 }, top: 0, left: 0 }]);
    for (const [width, height] of [[164, 16_384], [16_384, 164], [100, 10_000], [1, 100]] as const) {
      for (const data of [await strip(width, height).png().toBuffer(), await strip(width, height).jpeg().toBuffer()]) {
        const response = await request(t.http).post('/api/compress').attach('the_file', data, 'strip').timeout(30_000);
        assert.equal(response.status, 200, `${width}×${height}: ${JSON.stringify(response.body)}`);
      }
    }
    const wide = await strip(16_384, 164).png().toBuffer();
    const response = await request(t.http).post('/api/compress?format=webp').attach('the_file', wide, 'wide.png').expect(422);
    assert.match((response.body as ApiError).message, /webp holds at most 16383 pixels a side/);
  });

  it('never fetches what an SVG refers to: a local server receives no request', async () => {
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.end('x');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const url = `http://127.0.0.1:${port}`;
    const svgs = [
      `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="48"><image href="${url}/image.png" width="64" height="48"/></svg>`,
      `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="64" height="48"><image xlink:href="${url}/xlink.png" width="64" height="48"/></svg>`,
      `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY e SYSTEM "${url}/entity">]><svg xmlns="http://www.w3.org/2000/svg" width="64" height="48"><text y="20">&e;</text></svg>`,
      `<?xml version="1.0"?><?xml-stylesheet href="${url}/style.css"?><svg xmlns="http://www.w3.org/2000/svg" width="64" height="48"><style>@import url(${url}/import.css);</style><rect width="64" height="48" style="fill:url(${url}/fill#x)"/></svg>`,
      `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="48"><script href="${url}/script.js"/><use href="${url}/use.svg#x"/></svg>`,
    ];
    try {
      for (const svg of svgs) {
        for (const endpoint of ENDPOINTS) {
          const answer = await upload(t, endpoint, { label: 'svg', name: 'ref.svg', mimeType: 'image/svg+xml', data: Buffer.from(svg) });
          assert.equal(answer.status, 415, `${endpoint}: ${JSON.stringify(answer.body)}`);
          assert.match((answer.body as ApiError).message, /SVG/);
        }
      }
      // libvips itself, had the SVG got that far, fetches nothing either (librsvg without `unlimited`).
      for (const svg of svgs) await sharp(Buffer.from(svg)).png().toBuffer().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(hits, []);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
