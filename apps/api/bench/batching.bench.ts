/**
 * Dynamic batching, on and off, for a model whose inputs share a tensor (text-direction: every
 * line is resized to 192×48), the same model folder with `scheduler.maxBatchSize` 1 for "off":
 *   stage  the model's instance group alone (scheduler + workers, inputs already decoded), 16
 *          waiting at a time, for 1 worker × all cores' threads and 1 single-threaded worker per core;
 *   HTTP   the real app with the shipped layout, loaded by autocannon from another process: one
 *          line per request at concurrency 1 and 16, and uploads of 16 lines (an OCR page's worth)
 *          at concurrency 1 and 4.
 * Prints lines per second, latency and the mean batch the scheduler formed. Numbers, not a test.
 *
 *   pnpm --filter @dlserve/api bench:batching   (after pnpm build; DURATION=seconds per run, default 10)
 */
import type { ModelManifest } from '@dlserve/shared';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../src/app.js';
import { AppConfig } from '../src/platform/config/app-config.js';
import { ModelRegistry } from '../src/serving/lifecycle/model-registry.js';
import { runLoad, type LoadResult } from './load/autocannon.js';

const MODEL = 'text-direction';
const MODELS_DIR = fileURLToPath(new URL('../../../../models/', import.meta.url));
const DURATION = Number(process.env.DURATION ?? 10);
/** [lines per request, concurrent requests] */
const LOADS: Array<[number, number]> = [[1, 1], [1, 16], [16, 1], [16, 4]];
const STAGE_UNITS = 4000;
const BOUNDARY = 'dlserve-bench';

interface Row extends LoadResult {
  batching: 'on' | 'off';
  lines: number;
  connections: number;
  meanBatch: number;
  /** The server's CPU time (all its threads) per line, ms. */
  cpuMsPerLine: number;
}

/** The model's folder with its scheduler settings changed: a copy in a temporary repository. */
async function repository(batching: boolean, instances?: number): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'dlserve-bench-'));
  await cp(join(MODELS_DIR, MODEL), join(root, MODEL), { recursive: true });
  const path = join(root, MODEL, 'model.json');
  const manifest = JSON.parse(await readFile(path, 'utf8')) as ModelManifest;
  if (!batching) manifest.scheduler = { ...manifest.scheduler, maxBatchSize: 1, preferredBatchSizes: [] };
  if (instances) manifest.scheduler = { ...manifest.scheduler, instances };
  await writeFile(path, JSON.stringify(manifest));
  return root;
}

async function multipartBody(dir: string, lines: number): Promise<string> {
  const file = await readFile(join(MODELS_DIR, MODEL, 'line.png'));
  const part = (i: number) => [
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="the_file"; filename="line-${i}.png"\r\nContent-Type: image/png\r\n\r\n`),
    file,
    Buffer.from('\r\n'),
  ];
  const body = Buffer.concat([...Array.from({ length: lines }, (_, i) => part(i)).flat(), Buffer.from(`--${BOUNDARY}--\r\n`)]);
  const path = join(dir, `body-${lines}.bin`);
  await writeFile(path, body);
  return path;
}

/** The model stage alone: decoded lines straight into the instance group, `STAGE_UNITS` of them, 16 waiting at a time. */
async function stage(registry: ModelRegistry): Promise<{ linesPerSecond: number; meanBatch: number }> {
  const group = registry.ready(MODEL).main;
  const before = group.stats();
  const started = performance.now();
  let sent = 0;
  const lane = async (): Promise<void> => {
    while (sent++ < STAGE_UNITS) {
      const input = { pixels: new Uint8Array(192 * 48 * 3).fill(200), width: 192, height: 48 };
      await group.run({ input, transfer: [input.pixels.buffer] });
    }
  };
  await Promise.all(Array.from({ length: 16 }, lane));
  const seconds = (performance.now() - started) / 1000;
  const after = group.stats();
  return { linesPerSecond: STAGE_UNITS / seconds, meanBatch: (after.units - before.units) / (after.batches - before.batches) };
}

type Stage = Awaited<ReturnType<typeof stage>>;

/** The stage, and with `http` the HTTP loads, for one setting of batching and instances (default: the manifest's). */
async function measure(batching: boolean, { instances, http }: { instances?: number; http: boolean }): Promise<{ rows: Row[]; stage: Stage; layout: string }> {
  const root = await repository(batching, instances);
  const config = AppConfig.fromEnv({ ...process.env, MODELS_DIR: root, MODELS: MODEL, WEB_DIR: '', ASSETS_DIR: join(root, 'assets'), UPLOADS_DIR: join(root, 'uploads'), MAX_QUEUE: '64' });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const registry = app.get(ModelRegistry);
  await registry.whenLoaded();
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api/models/${MODEL}`;
  const load = { url, method: 'POST' as const, headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` } };
  const rows: Row[] = [];
  try {
    await stage(registry); // warm-up
    const stageResult = await stage(registry);
    const group = registry.ready(MODEL).main;
    const layout = `${group.instances} worker(s) × ${config.intraOpThreadsFor(group.instances)} thread(s)`;
    for (const [lines, connections] of http ? LOADS : []) {
      const bodyFile = await multipartBody(root, lines);
      await runLoad({ ...load, bodyFile, connections, duration: 1 }); // warm-up
      const before = registry.ready(MODEL).main.stats();
      const cpu = process.cpuUsage();
      const result = await runLoad({ ...load, bodyFile, connections, duration: DURATION });
      const { user, system } = process.cpuUsage(cpu);
      const after = registry.ready(MODEL).main.stats();
      const meanBatch = (after.units - before.units) / Math.max(1, after.batches - before.batches);
      rows.push({ ...result, batching: batching ? 'on' : 'off', lines, connections, meanBatch, cpuMsPerLine: (user + system) / 1000 / (result.requests * lines) });
    }
    return { rows, stage: stageResult, layout };
  } finally {
    await app.close();
    await rm(root, { recursive: true, force: true });
  }
}

console.log(`\n${MODEL}: 560×72 PNG lines, ${DURATION} s per HTTP run, autocannon in another process`);
console.log('\nmodel stage (instance group, no HTTP, no decode), 16 lines waiting at a time:');
for (const instances of [1, availableParallelism()]) {
  const [a, b] = [await measure(false, { instances, http: false }), await measure(true, { instances, http: false })];
  console.log(
    `  ${a.layout}: off ${a.stage.linesPerSecond.toFixed(0)} lines/s (batch ${a.stage.meanBatch.toFixed(2)}), ` +
      `on ${b.stage.linesPerSecond.toFixed(0)} lines/s (batch ${b.stage.meanBatch.toFixed(2)}): ${(b.stage.linesPerSecond / a.stage.linesPerSecond).toFixed(2)}×`,
  );
}
const off = await measure(false, { http: true });
const on = await measure(true, { http: true });
const rows = [...off.rows, ...on.rows];
console.log(`\nHTTP (POST /api/models/${MODEL}), the shipped layout: ${on.layout}`);
console.log('batching  lines/request  connections  lines/s   p50 ms   p90 ms   p99 ms   mean batch   CPU ms/line   non-2xx');
for (const row of rows) {
  console.log(
    `${row.batching.padEnd(8)}  ${String(row.lines).padStart(13)}  ${String(row.connections).padStart(11)}  ${(row.requestsPerSecond * row.lines).toFixed(1).padStart(7)}  ${String(row.latency.p50).padStart(7)}  ${String(row.latency.p90).padStart(7)}  ${String(row.latency.p99).padStart(7)}  ${row.meanBatch.toFixed(2).padStart(11)}  ${row.cpuMsPerLine.toFixed(2).padStart(12)}  ${String(row.non2xx + row.errors).padStart(8)}`,
  );
}
const at = (batching: string, lines: number, connections: number) => rows.find((row) => row.batching === batching && row.lines === lines && row.connections === connections)!;
for (const [lines, connections] of LOADS) {
  const [a, b] = [at('on', lines, connections), at('off', lines, connections)];
  console.log(`${lines} line(s) × ${connections} connection(s), on ÷ off: throughput ${(a.requestsPerSecond / b.requestsPerSecond).toFixed(2)}×, p50 latency ${(a.latency.p50 / Math.max(0.01, b.latency.p50)).toFixed(2)}×`);
}
