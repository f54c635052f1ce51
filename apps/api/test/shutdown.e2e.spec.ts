import type { ImageToImageResponse, JobAccepted } from '@dlserve/shared';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { readPhoto } from './images.js';
import { swapManifest, swapUpscaleOnnx, writeModel } from './models.js';
import { startServer } from './server-process.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function pattern(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7) % 251;
  return sharp(pixels, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

function post(url: string, file: Buffer, name: string): Promise<Response> {
  const form = new FormData();
  form.append('the_file', new Blob([new Uint8Array(file)]), name);
  return fetch(url, { method: 'POST', body: form });
}

/** A new connection to the server: its error code (ECONNREFUSED once it stopped listening), or the status. */
function connect(url: string): Promise<string> {
  return new Promise((resolve) => {
    const req = httpRequest(`${url}/api/health`, { agent: false }, (response) => {
      response.resume();
      resolve(String(response.statusCode));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });
}

describe('SIGTERM: the built server drains and exits', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'dlserve-shutdown-'));
    await writeModel(join(root, 'models'), { ...swapManifest('swap-x2'), limits: { maxInputMegapixels: 8, maxOutputMegapixels: 32 } }, swapUpscaleOnnx());
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('stops accepting, finishes every accepted request and job within the grace period, then exits 0', async (context) => {
    const server = await startServer(root, { SHUTDOWN_GRACE_SECONDS: '60' });
    const [medium, large, photo] = [await pattern(400, 400), await pattern(1000, 1000), await readPhoto('rocket.jpg')];
    const accepted = await post(`${server.url}/api/models/swap-x2?async=1`, large, 'job.png');
    const job = (await accepted.json()) as JobAccepted;
    assert.equal(accepted.status, 202, `the job: ${JSON.stringify(job)}`);
    const events = fetch(`${server.url}${job.events}`).then((response) => response.text());
    const requests = [
      ...Array.from({ length: 8 }, (_, i) => post(`${server.url}/api/models/swap-x2`, medium, `m${i}.png`)),
      ...Array.from({ length: 4 }, (_, i) => post(`${server.url}/api/compress`, photo, `p${i}.jpg`)),
    ];
    await sleep(400); // every request sent and in the server's hands
    const signalled = performance.now();
    server.child.kill('SIGTERM');
    await sleep(300);
    const refused = await connect(server.url);
    const answers = await Promise.all(requests.map(async (answer) => (await answer).status));
    const models = await Promise.all(requests.slice(0, 8).map(async (answer) => ((await (await answer).json()) as ImageToImageResponse).result));
    const stream = await events;
    const { code, signal } = await server.exited;
    const seconds = (performance.now() - signalled) / 1000;
    context.diagnostic(`drained ${requests.length} requests and a job in ${seconds.toFixed(1)} s after SIGTERM; a new connection: ${refused}`);
    assert.equal(refused, 'ECONNREFUSED', 'no new connections after SIGTERM');
    assert.deepEqual(answers, requests.map(() => 200), 'every accepted request answered 200');
    assert.match(stream, /event: done/, 'the job finished');
    assert.deepEqual([code, signal], [0, null], server.log());
    assert.match(server.log(), /SIGTERM: no new connections/);
    const onDisk = await readdir(server.assetsDir);
    for (const url of models) assert.ok(onDisk.includes(url.slice('/assets/'.length)), `${url} was written`);
    assert.ok(!onDisk.some((name) => name.startsWith('.')), 'no temporary file left');
  });

  it('cuts work short once the grace period is over, and says so with exit code 1', async (context) => {
    const server = await startServer(root, { SHUTDOWN_GRACE_SECONDS: '1' });
    const huge = await pattern(2400, 2400);
    const answer = post(`${server.url}/api/models/swap-x2`, huge, 'huge.png').then(
      (response) => response.status,
      () => 'reset',
    );
    await sleep(500);
    const signalled = performance.now();
    server.child.kill('SIGTERM');
    const { code } = await server.exited;
    const seconds = (performance.now() - signalled) / 1000;
    context.diagnostic(`exited ${seconds.toFixed(1)} s after SIGTERM (grace 1 s)`);
    assert.equal(code, 1, server.log());
    assert.match(server.log(), /Grace period over/);
    assert.notEqual(await answer, 200);
    assert.deepEqual((await readdir(server.assetsDir).catch(() => [])).filter((name) => !name.startsWith('.')), [], 'nothing half-kept');
  });
});
