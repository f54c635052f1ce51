import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { ClassificationResponse, ImageToImageResponse, JobAccepted, OcrResponse } from '@dlserve/shared';
import sharp from 'sharp';
import { isGeneratedFileName } from '../src/infrastructure/storage/file-names.js';
import type { ChildProcess, StdioOptions } from 'node:child_process';
import { startRedis, type RedisProcess } from './redis-process.js';
import { freePort, startServer, type ServerProcess } from './server-process.js';

/**
 * Issue 14: dlserve past one process, on the real parts. Redis, two `api` nodes and two `worker`
 * nodes, each the built server in a process of its own on loopback, sharing one assets and one
 * uploads folder: mixed requests over both api nodes; a worker killed mid-job (its job runs again
 * on the other, one copy of each result); a worker stopped with SIGTERM (it finishes what it runs);
 * Redis stopped for 5 s (503 `queue_unavailable`, then back by itself). Every wait is bounded; no
 * duration is asserted (two cores, shared).
 */
const MODELS_DIR = fileURLToPath(new URL('../../../../models/', import.meta.url));
const PHOTO = fileURLToPath(new URL('../../../../fixtures/photos/astronaut.png', import.meta.url));
const MODELS = 'text-direction,ocr,esrgan-slim-x2';
/** scripts/nginx.mjs, from the compiled file (dist/test/): a plain script outside the TypeScript project. */
const NGINX_SCRIPT = new URL('../../../../scripts/nginx.mjs', import.meta.url).href;
interface NginxScript {
  nginxValuesFromEnv(env: Record<string, string | undefined>): Promise<Record<string, unknown>>;
  startNginx(values: Record<string, unknown>, options?: { stdio?: StdioOptions }): ChildProcess;
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Answer<T> {
  status: number;
  body: T;
  headers: Headers;
}

async function post<T>(url: string, files: Array<{ name: string; data: Buffer }>): Promise<Answer<T>> {
  const form = new FormData();
  for (const file of files) form.append('the_file', new Blob([new Uint8Array(file.data)]), file.name);
  const response = await fetch(url, { method: 'POST', body: form, signal: AbortSignal.timeout(180_000) });
  return { status: response.status, body: (await response.json()) as T, headers: response.headers };
}

/** Waits until `check` holds, polling; fails with `what` after `ms`. */
async function until(what: string, ms: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await check().catch(() => false))) {
    if (performance.now() > deadline) assert.fail(`not within ${ms} ms: ${what}`);
    await sleep(100);
  }
}

/** A gauge of a node's metrics for a model. */
async function gauge(node: ServerProcess, series: string, model: string): Promise<number> {
  const text = await (await fetch(`${node.url}/api/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
  const line = text.split('\n').find((row) => row.startsWith(`${series}{model="${model}"}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

/** The results in the shared assets folder. */
async function assets(dir: string): Promise<Set<string>> {
  return new Set((await readdir(dir).catch(() => [] as string[])).filter(isGeneratedFileName));
}

/** Runs `tasks` with at most `limit` in flight; after a failure, starts no more (so that it does not load the next test). */
async function inParallel<T>(limit: number, tasks: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (next < tasks.length && !failed) {
      const index = next++;
      try {
        results[index] = await tasks[index]!();
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: limit }, lane));
  return results;
}

describe('Scaling out: Redis, 2 api nodes, 2 worker nodes', { timeout: 900_000 }, () => {
  let root: string;
  let redis: RedisProcess;
  let shared: { ASSETS_DIR: string; UPLOADS_DIR: string };
  const apis: ServerProcess[] = [];
  const workers: ServerProcess[] = [];
  let line: Buffer;
  let upsideDown: Buffer;
  let sign: Buffer;
  /** Crops of a photo for esrgan-slim-x2: a few tiles each, so a request is mid-way for a while. */
  const crops: Buffer[] = [];

  const node = (role: 'api' | 'worker') =>
    startServer(
      root,
      {
        ROLE: role,
        REDIS_URL: redis.url,
        ...shared,
        MODELS_DIR,
        MODELS,
        // A killed worker's job goes back to the queue after this long without its lock renewed.
        QUEUE_STALLED_SECONDS: '5',
        RATE_LIMIT_MAX: '0',
        MODEL_WORKERS: '1',
        ORT_INTRA_OP_THREADS: '1',
      },
      { healthyWithinMs: 240_000 },
    );

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'dlserve-scale-'));
    shared = { ASSETS_DIR: join(root, 'shared', 'assets'), UPLOADS_DIR: join(root, 'shared', 'uploads') };
    [line, upsideDown, sign] = await Promise.all([
      readFile(join(MODELS_DIR, 'text-direction', 'line.png')),
      readFile(join(MODELS_DIR, 'text-direction', 'line-upside-down.png')),
      readFile(join(MODELS_DIR, 'ocr', 'sign.png')),
    ]);
    for (const [left, top] of [[0, 0], [200, 0], [0, 200], [200, 200]] as const) {
      crops.push(await sharp(PHOTO).extract({ left, top, width: 200, height: 200 }).png().toBuffer());
    }
    redis = await startRedis();
    // One after the other: two cores, and each worker warms three models.
    workers.push(await node('worker'), await node('worker'));
    apis.push(await node('api'), await node('api'));
    for (const api of apis) await until('the api node reaches Redis', 30_000, async () => (await fetch(`${api.url}/api/health/ready`)).status === 200);
  });

  after(async () => {
    for (const child of [...apis, ...workers]) if (child.child.exitCode === null) child.child.kill('SIGKILL');
    await Promise.all([...apis, ...workers].map((child) => child.exited));
    await redis?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('answers 100 mixed requests spread over both api nodes, run on both workers, each correctly', async () => {
    type Check = () => Promise<void>;
    const checks: Check[] = [];
    for (let i = 0; i < 100; i++) {
      const api = apis[i % 2]!;
      const kind = i % 10;
      if (kind < 6) {
        const upright = i % 3 !== 0;
        checks.push(async () => {
          const { status, body } = await post<ClassificationResponse>(`${api.url}/api/models/text-direction`, [{ name: 'line.png', data: upright ? line : upsideDown }]);
          assert.equal(status, 200, JSON.stringify(body));
          assert.equal(body.files[0]!.labels[0]!.label, upright ? 'upright' : 'upside down');
        });
      } else if (kind < 9) {
        checks.push(async () => {
          const { status, body } = await post<OcrResponse>(`${api.url}/api/models/ocr`, [{ name: 'sign.png', data: sign }]);
          assert.equal(status, 200, JSON.stringify(body));
          assert.equal(body.files[0]!.text, 'PLATFORM 4\nTrains to the city');
          assert.ok((await assets(shared.ASSETS_DIR)).has(body.result!.replace('/assets/', '')));
        });
      } else {
        // A job: accepted by one api node, its progress relayed from whichever worker runs it.
        checks.push(async () => {
          const accepted = await post<JobAccepted>(`${api.url}/api/models/esrgan-slim-x2?async=1`, [{ name: 'crop.png', data: crops[i % crops.length]! }]);
          assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
          const stream = await (await fetch(`${api.url}${accepted.body.events}`, { signal: AbortSignal.timeout(180_000) })).text();
          const events = [...stream.matchAll(/^event: (\w+)$/gm)].map((match) => match[1]);
          assert.ok(events.includes('progress'), stream);
          assert.equal(events.at(-1), 'done', stream);
          const job = (await (await fetch(`${api.url}${accepted.body.status}`)).json()) as { result: ImageToImageResponse };
          const result = await readFile(join(shared.ASSETS_DIR, job.result.result!.replace('/assets/', '')));
          const { width, height } = await sharp(result).metadata();
          assert.deepEqual([width, height], [400, 400]);
        });
      }
    }
    await inParallel(8, checks);
    for (const worker of workers) {
      assert.ok((await gauge(worker, 'dlserve_inference_compute_seconds_count', 'text-direction')) > 0, 'each worker ran some of the requests');
    }
  });

  it('nginx with an upstream of both api nodes (scripts/nginx.mjs --upstream) passes nginx -t and answers (each client address sticks to one node)', async () => {
    const { nginxValuesFromEnv, startNginx } = (await import(NGINX_SCRIPT)) as NginxScript;
    const port = await freePort();
    const values = await nginxValuesFromEnv({ ...process.env, ...shared, NGINX_PORT: String(port), NGINX_RUN_DIR: join(root, 'nginx') });
    // startNginx runs `nginx -t` on the rendered config first and throws if nginx rejects it.
    const nginx = startNginx({ ...values, upstream: apis.map((api) => new URL(api.url).host) }, { stdio: 'ignore' });
    const exited = new Promise((resolve) => nginx.once('exit', resolve));
    try {
      const url = `http://127.0.0.1:${port}`;
      await until('nginx answers', 30_000, async () => (await fetch(`${url}/api/health`)).status === 200);
      const answers = await inParallel(4, Array.from({ length: 12 }, () => () => post<ClassificationResponse>(`${url}/api/models/text-direction`, [{ name: 'line.png', data: line }])));
      for (const { status, body } of answers) {
        assert.equal(status, 200, JSON.stringify(body));
        assert.equal(body.files[0]!.labels[0]!.label, 'upright');
      }
      const ocr = await post<OcrResponse>(`${url}/api/models/ocr`, [{ name: 'sign.png', data: sign }]);
      assert.equal(ocr.status, 200);
      // The result, from the shared folder, served by nginx itself.
      assert.equal((await fetch(`${url}${ocr.body.result}`)).status, 200);
    } finally {
      nginx.kill('SIGQUIT');
      await exited;
    }
  });

  it('DELETE of a job a worker is running reaches that worker: it stops, the job is cancelled, nothing of it is kept', async () => {
    const before = await assets(shared.ASSETS_DIR);
    const big = await sharp(PHOTO).extract({ left: 0, top: 0, width: 400, height: 400 }).png().toBuffer();
    const api = apis[0]!;
    const accepted = await post<JobAccepted>(`${api.url}/api/models/esrgan-slim-x2?async=1`, [{ name: 'big.png', data: big }, { name: 'big2.png', data: big }]);
    assert.equal(accepted.status, 202);
    await until('the job runs on a worker', 120_000, async () => {
      const status = (await (await fetch(`${api.url}${accepted.body.status}`)).json()) as { state: string; progress: number };
      return status.state === 'running' && status.progress > 0;
    });
    const cancelled = await fetch(`${api.url}${accepted.body.status}`, { method: 'DELETE', signal: AbortSignal.timeout(60_000) });
    assert.equal(cancelled.status, 200);
    assert.equal(((await cancelled.json()) as { state: string }).state, 'cancelled');
    // The worker stopped its work (no unit of it left running), rather than finishing it for nobody.
    await until('the workers are idle', 60_000, async () => {
      const running = await Promise.all(workers.map((worker) => gauge(worker, 'dlserve_model_units_running', 'esrgan-slim-x2')));
      return running.every((units) => units === 0);
    });
    const added = [...(await assets(shared.ASSETS_DIR))].filter((name) => !before.has(name));
    // Had the worker not heard, it would have finished both images and saved them.
    assert.deepEqual(added, [], 'what the cancelled job saved was removed');
  });

  it('kill -9 of a worker mid-job: its job runs again on the other worker, every request is answered, one copy of each result', async () => {
    const before = await assets(shared.ASSETS_DIR);
    const [victim, survivor] = workers as [ServerProcess, ServerProcess];
    // Two files each: the first may be saved by the victim before it dies, and saved again under the same name.
    const requests = Array.from({ length: 4 }, (_, i) =>
      post<ImageToImageResponse>(`${apis[i % 2]!.url}/api/models/esrgan-slim-x2`, [
        { name: 'a.png', data: crops[i]! },
        { name: 'b.png', data: crops[(i + 1) % 4]! },
      ]),
    );
    await until('the worker runs a job', 120_000, async () => (await gauge(victim, 'dlserve_model_units_running', 'esrgan-slim-x2')) > 0);
    victim.child.kill('SIGKILL');
    await victim.exited;
    const answers = await Promise.all(requests);
    const urls = new Set<string>();
    for (const { status, body } of answers) {
      assert.equal(status, 200, JSON.stringify(body));
      assert.equal(body.files.length, 2);
      for (const file of body.files) {
        assert.deepEqual([file.width, file.height], [400, 400]);
        urls.add(file.result.replace('/assets/', ''));
      }
    }
    assert.equal(urls.size, 8);
    const added = [...(await assets(shared.ASSETS_DIR))].filter((name) => !before.has(name));
    assert.deepEqual(added.sort(), [...urls].sort(), 'the results of this test and nothing else: no second copy of a job run twice');
    assert.match(survivor.log(), /Job [\w-]+ of 'esrgan-slim-x2' stalled/, "the dead worker's job was found by stalled-job detection");
  });

  it('SIGTERM to a worker: it finishes the jobs it runs before it exits (exit code 0)', async () => {
    const worker = workers[1]!;
    // The only worker left: were its jobs cut short, nobody else could answer them.
    const requests = [0, 1].map((i) => post<ImageToImageResponse>(`${apis[i]!.url}/api/models/esrgan-slim-x2`, [{ name: 'c.png', data: crops[i]! }]));
    await until('the worker runs a job', 120_000, async () => (await gauge(worker, 'dlserve_model_units_running', 'esrgan-slim-x2')) > 0);
    worker.child.kill('SIGTERM');
    for (const { status, body } of await Promise.all(requests)) {
      assert.equal(status, 200, JSON.stringify(body));
      assert.deepEqual([body.files[0]!.width, body.files[0]!.height], [400, 400]);
    }
    assert.deepEqual(await worker.exited, { code: 0, signal: null }, worker.log().slice(-2000));
  });

  it('Redis stopped for 5 s: new work is refused with 503 queue_unavailable, and the nodes recover by themselves', async () => {
    workers.push(await node('worker'));
    const request = (api: ServerProcess) => post<ClassificationResponse & { error?: string }>(`${api.url}/api/models/text-direction`, [{ name: 'line.png', data: line }]);
    for (const api of apis) assert.equal((await request(api)).status, 200);
    await redis.stop();
    const outage = performance.now();
    const refusals: Array<Answer<{ error?: string }>> = [];
    while (performance.now() - outage < 5000) {
      for (const api of apis) refusals.push(await request(api));
      await sleep(250);
    }
    assert.ok(refusals.length >= 4);
    for (const { status, body, headers } of refusals) {
      assert.equal(status, 503, JSON.stringify(body));
      assert.equal(body.error, 'queue_unavailable');
      assert.ok(headers.get('retry-after'));
    }
    await redis.restart();
    for (const api of apis) await until('the api node queues work again', 60_000, async () => (await request(api)).status === 200);
    for (const api of apis) {
      const { status, body } = await request(api);
      assert.equal(status, 200, JSON.stringify(body));
      assert.equal(body.files[0]!.labels[0]!.label, 'upright');
    }
  });
});
