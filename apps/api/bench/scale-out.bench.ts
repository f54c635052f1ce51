/**
 * `pnpm bench:scale`: the queue hop and the worker nodes (issue 14), over HTTP with autocannon in a
 * process of its own, on loopback. Three layouts one after the other, on the same Redis:
 *
 * - `all`: one process (ROLE=all, the default), no Redis;
 * - `api + 1 worker`: ROLE=api and ROLE=worker over BullMQ, sharing the assets and uploads folders;
 * - `api + 2 workers`: the same with a second worker process.
 *
 * Prints req/s and latency per layout and load; then the queue hop's cost per request (p50 at
 * concurrency 1, api + 1 worker minus all) and the throughput of 2 workers over 1. Numbers
 * printed, not asserted: on a shared 2-core machine they are noisy (compare within one run).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRedis, type RedisProcess } from '../test/redis-process.js';
import { runHttp, stopLoad } from './serving/http.js';
import { multipartBody } from './serving/scenarios.js';
import { benchEnv, type Server, startServer } from './serving/server.js';
import { type CellStats, summarize } from './serving/stats.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const MODELS_DIR = join(ROOT, 'models');
const BOUNDARY = 'dlserve-scale-bench';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 1);

interface Load {
  name: string;
  route: string;
  file: string;
  connections: number;
}

/** A light model (the hop is most of a request) and a heavier one (the model is). */
const LOADS: Load[] = [
  { name: 'text-direction', route: '/api/models/text-direction', file: join(MODELS_DIR, 'text-direction', 'line.png'), connections: 1 },
  { name: 'text-direction', route: '/api/models/text-direction', file: join(MODELS_DIR, 'text-direction', 'line.png'), connections: 8 },
  { name: 'ocr', route: '/api/models/ocr', file: join(MODELS_DIR, 'ocr', 'sign.png'), connections: 1 },
  { name: 'ocr', route: '/api/models/ocr', file: join(MODELS_DIR, 'ocr', 'sign.png'), connections: 4 },
];

type Layout = 'all' | 'api + 1 worker' | 'api + 2 workers';
const results: Array<{ layout: Layout; load: Load; stats: CellStats }> = [];
const running: Server[] = [];
let redis: RedisProcess | undefined;
let runDir = '';

async function measure(layout: Layout, url: string, bodies: Map<string, string>): Promise<void> {
  for (const load of LOADS) {
    const sample = await runHttp({ url: `${url}${load.route}`, bodyFile: bodies.get(load.file)!, boundary: BOUNDARY, connections: load.connections, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS });
    const stats = summarize(sample);
    results.push({ layout, load, stats });
    console.log(`${layout.padEnd(16)} ${load.name.padEnd(15)} c=${String(load.connections).padEnd(2)} ${stats.requestsPerSecond.toFixed(1).padStart(7)} req/s  p50 ${stats.p50.toFixed(1)} ms  p95 ${stats.p95.toFixed(1)} ms  non-200 ${stats.non200}  errors ${stats.errors}`);
  }
}

/** Until the api node's readiness says Redis answers (30 s at most). */
async function queueReady(url: string): Promise<void> {
  const deadline = performance.now() + 30_000;
  while ((await fetch(`${url}/api/health/ready`).catch(() => null))?.status !== 200) {
    if (performance.now() > deadline) throw new Error(`${url}: the api node did not reach Redis within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function stopAll(): Promise<void> {
  stopLoad();
  await Promise.all(running.splice(0).map((server) => server.stop()));
}

async function main(): Promise<void> {
  runDir = await mkdtemp(join(tmpdir(), 'dlserve-scale-bench-'));
  const env = { ...benchEnv({ modelsDir: MODELS_DIR, models: ['text-direction', 'ocr'], runDir }), TILE_WORKERS: '0' };
  const bodies = new Map<string, string>();
  for (const load of LOADS) {
    const path = join(runDir, `${load.name}.body`);
    await writeFile(path, multipartBody(BOUNDARY, { name: 'input.png', data: await readFile(load.file), contentType: 'image/png' }));
    bodies.set(load.file, path);
  }

  console.log(`Each cell: ${WARMUP_SECONDS} s warm-up, ${SECONDS} s measured (BENCH_WARMUP_SECONDS, BENCH_SECONDS).\n`);
  const single = await startServer(env);
  running.push(single);
  await measure('all', single.url, bodies);
  await stopAll();

  redis = await startRedis();
  const scaled = { ...env, REDIS_URL: redis.url };
  running.push(await startServer({ ...scaled, ROLE: 'worker' }));
  const api = await startServer({ ...scaled, ROLE: 'api' });
  running.push(api);
  await queueReady(api.url);
  await measure('api + 1 worker', api.url, bodies);
  running.push(await startServer({ ...scaled, ROLE: 'worker' }));
  await measure('api + 2 workers', api.url, bodies);
  await stopAll();

  const cell = (layout: Layout, name: string, connections: number) => results.find((r) => r.layout === layout && r.load.name === name && r.load.connections === connections)!.stats;
  console.log('\nThe queue hop (p50 at concurrency 1, api + 1 worker minus all):');
  for (const name of ['text-direction', 'ocr']) {
    const hop = cell('api + 1 worker', name, 1).p50 - cell('all', name, 1).p50;
    console.log(`  ${name}: ${cell('all', name, 1).p50.toFixed(1)} → ${cell('api + 1 worker', name, 1).p50.toFixed(1)} ms (${hop >= 0 ? '+' : '−'}${Math.abs(hop).toFixed(1)} ms per request)`);
  }
  console.log('Throughput, 2 workers ÷ 1 worker (and ÷ all):');
  for (const [name, connections] of [['text-direction', 8], ['ocr', 4]] as const) {
    const one = cell('api + 1 worker', name, connections).requestsPerSecond;
    const two = cell('api + 2 workers', name, connections).requestsPerSecond;
    const all = cell('all', name, connections).requestsPerSecond;
    console.log(`  ${name} c=${connections}: ${one.toFixed(1)} → ${two.toFixed(1)} req/s = ${(two / one).toFixed(2)}× (all: ${all.toFixed(1)} req/s; 2 workers ÷ all ${(two / all).toFixed(2)}×)`);
  }
}

async function cleanUp(): Promise<void> {
  await stopAll();
  await redis?.stop();
  if (runDir) await rm(runDir, { recursive: true, force: true });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanUp().then(() => process.exit(130)));
}
try {
  await main();
} finally {
  await cleanUp();
}
