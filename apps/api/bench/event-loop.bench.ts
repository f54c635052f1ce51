/**
 * The event loop under a burst of compressions and model requests (`pnpm bench:event-loop`):
 * starts the API in a child process, as in production, sends UPLOADS concurrent
 * `POST /api/compress` of a real photo and MODEL_REQUESTS concurrent requests to a model (a crop
 * of a real photo), and meanwhile asks `GET /api/health` every POLL_MS, one request at a time.
 * Prints the health latency percentiles (the event loop's responsiveness as a client sees it)
 * and the throughput. Not a test: it prints numbers and asserts nothing.
 *
 * BENCH_UPLOADS (40), BENCH_PHOTO (hubble_deep_field.jpg, 0.87 MP), BENCH_MODEL (esrgan-slim-x2),
 * BENCH_MODEL_REQUESTS (16), BENCH_POLL_MS (20); the API's own variables (COMPRESS_WORKERS,
 * COMPRESS_MAX_QUEUE…) are passed through.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CompressResponse } from '@dlserve/shared';

const UPLOADS = Number(process.env.BENCH_UPLOADS ?? 40);
const PHOTO = process.env.BENCH_PHOTO ?? 'hubble_deep_field.jpg';
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 20);
const MODEL = process.env.BENCH_MODEL ?? 'esrgan-slim-x2';
const MODEL_REQUESTS = Number(process.env.BENCH_MODEL_REQUESTS ?? 16);
const MODELS_DIR = fileURLToPath(new URL('../../../../models/', import.meta.url));
const MAIN = fileURLToPath(new URL('../src/main.js', import.meta.url));
const PHOTOS = new URL('../../../../fixtures/photos/', import.meta.url);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function startApi(port: number, root: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      ASSETS_DIR: join(root, 'assets'),
      UPLOADS_DIR: join(root, 'uploads'),
      MODELS_DIR,
      MODELS: MODEL,
      WEB_DIR: '',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.ok, () => false);
    if (ok) return child;
    await sleep(100);
  }
  child.kill();
  throw new Error('the API did not start within 60 s');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Upload {
  status: number;
  ms: number;
}

async function infer(base: string, image: Blob): Promise<Upload> {
  const form = new FormData();
  form.append('the_file', image, 'crop.png');
  const started = performance.now();
  const response = await fetch(`${base}/api/models/${MODEL}`, { method: 'POST', body: form });
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started };
}

async function upload(base: string, photo: Blob): Promise<Upload> {
  const form = new FormData();
  form.append('the_file', photo, PHOTO);
  const started = performance.now();
  const response = await fetch(`${base}/api/compress`, { method: 'POST', body: form });
  const body = (await response.json()) as CompressResponse;
  if (response.status === 200 && body.files.length !== 1) throw new Error('a 200 without its file');
  return { status: response.status, ms: performance.now() - started };
}

/** Health latencies, one request at a time every POLL_MS, until `done` settles. */
async function pollHealth(base: string, done: Promise<unknown>): Promise<number[]> {
  let finished = false;
  void done.finally(() => (finished = true));
  const latencies: number[] = [];
  while (!finished) {
    const started = performance.now();
    const response = await fetch(`${base}/api/health`);
    await response.arrayBuffer();
    const ms = performance.now() - started;
    latencies.push(ms);
    await sleep(Math.max(0, POLL_MS - ms));
  }
  return latencies;
}

/** The API process's CPU time so far, in seconds (Linux; null elsewhere): load-independent cost. */
async function cpuSeconds(pid: number | undefined): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks (100 Hz)
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const data = await readFile(new URL(PHOTO, PHOTOS));
  const photo = new Blob([data]);
  const root = await mkdtemp(join(os.tmpdir(), 'dlserve-bench-'));
  const port = await freePort();
  const api = await startApi(port, root);
  const base = `http://127.0.0.1:${port}`;
  try {
    const { default: sharp } = await import('sharp');
    const crop = new Blob([new Uint8Array(await sharp(data).extract({ left: 0, top: 0, width: 200, height: 150 }).png().toBuffer())]);
    await upload(base, photo); // warm-up: JIT, libvips and the workers' first image are not the load
    await infer(base, crop);

    const idle = await pollHealth(base, sleep(1000));
    const loadBefore = os.loadavg()[0]!;
    const cpuBefore = await cpuSeconds(api.pid);
    const started = performance.now();
    const models = Promise.all(Array.from({ length: MODEL_REQUESTS }, () => infer(base, crop)));
    const burst = Promise.all(Array.from({ length: UPLOADS }, () => upload(base, photo)));
    const loaded = await pollHealth(base, Promise.all([burst, models]));
    const uploads = await burst;
    const inferred = await models;
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = await cpuSeconds(api.pid);

    const compressed = uploads.filter((u) => u.status === 200);
    const refused = uploads.filter((u) => u.status === 429).length;
    const other = uploads.length - compressed.length - refused;
    const { width = 0, height = 0 } = await imageSize(data);
    const megapixels = (width * height) / 1e6;

    const row = (name: string, values: readonly number[]): string => {
      const sorted = [...values].sort((a, b) => a - b);
      const cells = [50, 95, 99].map((p) => percentile(sorted, p).toFixed(1).padStart(8));
      return `${name.padEnd(22)}${String(sorted.length).padStart(8)}${cells.join('')}${sorted.at(-1)!.toFixed(1).padStart(8)}`;
    };
    console.log(`\n${UPLOADS} concurrent POST /api/compress of ${PHOTO} (${width}×${height}, ${megapixels.toFixed(2)} MP, ${data.length} B)`);
    console.log(`and ${MODEL_REQUESTS} concurrent POST /api/models/${MODEL} of a 200×150 crop of it`);
    console.log(`on ${os.availableParallelism()} cores; COMPRESS_WORKERS=${process.env.COMPRESS_WORKERS ?? 'default'}, COMPRESS_MAX_QUEUE=${process.env.COMPRESS_MAX_QUEUE ?? 'default'}\n`);
    console.log(`${'GET /api/health, ms'.padEnd(22)}${'n'.padStart(8)}${'p50'.padStart(8)}${'p95'.padStart(8)}${'p99'.padStart(8)}${'max'.padStart(8)}`);
    console.log(row('idle', idle));
    console.log(row('under load', loaded));
    console.log(row('compress 200s, ms', compressed.map((u) => u.ms)));
    console.log(row(`${MODEL}, ms`, inferred.map((u) => u.ms)));
    console.log(`\nuploads: ${compressed.length} × 200, ${refused} × 429, ${other} other, in ${seconds.toFixed(1)} s`);
    console.log(`model requests: ${inferred.filter((u) => u.status === 200).length} × 200 of ${MODEL_REQUESTS}`);
    console.log(
      `throughput: ${(compressed.length / seconds).toFixed(2)} images/s, ${((compressed.length * megapixels) / seconds).toFixed(2)} MP/s`,
    );
    if (cpuBefore !== null && cpuAfter !== null && compressed.length > 0) {
      const cpu = cpuAfter - cpuBefore;
      console.log(`API CPU time: ${cpu.toFixed(1)} s, ${(cpu / compressed.length).toFixed(2)} s per image, ${(cpu / seconds).toFixed(2)} cores busy on average`);
    }
    console.log(`load average (1 min) before the burst ${loadBefore.toFixed(2)}, after ${os.loadavg()[0]!.toFixed(2)}`);
  } finally {
    api.kill('SIGTERM');
    await new Promise((resolve) => api.once('exit', resolve));
    await rm(root, { recursive: true, force: true });
  }
}

/** The photo's size, read by the API's own dependency so the bench needs nothing else. */
async function imageSize(data: Buffer): Promise<{ width?: number; height?: number }> {
  const { default: sharp } = await import('sharp');
  return sharp(data).metadata();
}

await main();
