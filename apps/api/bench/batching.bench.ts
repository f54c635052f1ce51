/**
 * Dynamic batching, on and off, for a model whose inputs share a tensor (text-direction: every
 * line is resized to 192×48). The real app over HTTP, loaded by autocannon from another process,
 * at concurrency 1 and 16; the same model folder with `scheduler.maxBatchSize` 1 for "off".
 * Prints requests per second, latency and the mean batch the scheduler formed. Numbers, not a test.
 *
 *   pnpm --filter @dlserve/api bench:batching   (after pnpm build; DURATION=seconds per run, default 10)
 */
import type { ModelManifest } from '@dlserve/shared';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../src/app.js';
import { AppConfig } from '../src/platform/config/app-config.js';
import { ModelRegistry } from '../src/serving/lifecycle/model-registry.js';
import { runLoad, type LoadResult } from './load/autocannon.js';

const MODEL = 'text-direction';
const MODELS_DIR = fileURLToPath(new URL('../../../../models/', import.meta.url));
const DURATION = Number(process.env.DURATION ?? 10);
const CONCURRENCY = [1, 16];
const BOUNDARY = 'dlserve-bench';

interface Row extends LoadResult {
  batching: 'on' | 'off';
  connections: number;
  meanBatch: number;
}

/** The model's folder with its scheduler settings changed: a copy in a temporary repository. */
async function repository(batching: boolean): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'dlserve-bench-'));
  await cp(join(MODELS_DIR, MODEL), join(root, MODEL), { recursive: true });
  const path = join(root, MODEL, 'model.json');
  const manifest = JSON.parse(await readFile(path, 'utf8')) as ModelManifest;
  if (!batching) manifest.scheduler = { ...manifest.scheduler, maxBatchSize: 1, preferredBatchSizes: [] };
  await writeFile(path, JSON.stringify(manifest));
  return root;
}

async function multipartBody(dir: string): Promise<string> {
  const file = await readFile(join(MODELS_DIR, MODEL, 'line.png'));
  const body = Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="the_file"; filename="line.png"\r\nContent-Type: image/png\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
  const path = join(dir, 'body.bin');
  await writeFile(path, body);
  return path;
}

async function measure(batching: boolean): Promise<Row[]> {
  const root = await repository(batching);
  const config = AppConfig.fromEnv({ ...process.env, MODELS_DIR: root, MODELS: MODEL, WEB_DIR: '', ASSETS_DIR: join(root, 'assets'), UPLOADS_DIR: join(root, 'uploads'), MAX_QUEUE: '64' });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const registry = app.get(ModelRegistry);
  await registry.whenLoaded();
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api/models/${MODEL}`;
  const bodyFile = await multipartBody(root);
  const load = { url, method: 'POST' as const, headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, bodyFile };
  const rows: Row[] = [];
  try {
    await runLoad({ ...load, connections: 4, duration: 2 }); // warm-up
    for (const connections of CONCURRENCY) {
      const before = registry.ready(MODEL).main.stats();
      const result = await runLoad({ ...load, connections, duration: DURATION });
      const after = registry.ready(MODEL).main.stats();
      rows.push({ ...result, batching: batching ? 'on' : 'off', connections, meanBatch: (after.units - before.units) / Math.max(1, after.batches - before.batches) });
    }
  } finally {
    await app.close();
    await rm(root, { recursive: true, force: true });
  }
  return rows;
}

const rows = [...(await measure(false)), ...(await measure(true))];
console.log(`\n${MODEL} over HTTP (POST /api/models/${MODEL}, one 560×72 PNG line per request), ${DURATION} s per run, autocannon in another process`);
console.log('batching  connections   req/s   p50 ms   p90 ms   p99 ms   mean batch   non-2xx');
for (const row of rows) {
  console.log(
    `${row.batching.padEnd(8)}  ${String(row.connections).padStart(11)}  ${row.requestsPerSecond.toFixed(1).padStart(6)}  ${String(row.latency.p50).padStart(7)}  ${String(row.latency.p90).padStart(7)}  ${String(row.latency.p99).padStart(7)}  ${row.meanBatch.toFixed(2).padStart(11)}  ${String(row.non2xx + row.errors).padStart(8)}`,
  );
}
const at = (batching: string, connections: number) => rows.find((row) => row.batching === batching && row.connections === connections)!;
console.log(`\nthroughput at 16, on ÷ off: ${(at('on', 16).requestsPerSecond / at('off', 16).requestsPerSecond).toFixed(2)}×`);
console.log(`p50 latency at 1, on ÷ off: ${(at('on', 1).latency.p50 / Math.max(0.01, at('off', 1).latency.p50)).toFixed(2)}×`);
