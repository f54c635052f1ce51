/**
 * Benchmark of the Open Inference Protocol endpoint (`pnpm bench:v2`). Not a test: it prints numbers.
 *
 * Per model, the same tensor:
 *   V2 HTTP   POST /v2/models/<name>/infer to the real app on 127.0.0.1 with the binary tensor
 *             data extension (binary in, binary out), autocannon at concurrency 4 in a process of
 *             its own: parsing, admission, the scheduler (batching where the model batches), the
 *             model's worker threads, the answer
 *   bare      onnxruntime-node alone: as many worker threads as the model has instances, each with a
 *             session of the same intra-op threads, running the same tensor back to back
 *   HTTP floor a bare node:http server that reads the same body and answers one of the V2 answer's
 *             size, under the same load: what HTTP alone allows on this machine, load generator
 *             included, so the ceiling any server can reach here
 * and the ratios V2 / bare (target ≥ 0.9) and V2 / HTTP floor (what dlserve costs over bare HTTP).
 * The ceiling is what a zero-cost server could reach here: with the load generator on the same
 * cores, a request costs at least one bare run's CPU plus one floor round trip's, so
 * 1 / (1/bare + 1/floor) requests a second; V2 / ceiling is the share of it dlserve reaches.
 * text-direction: the line of models/text-direction/line.png as its 1×3×48×192 input;
 * esrgan-slim-x2: a 64×64 crop of its cat example.
 * Environment: V2_BENCH_SECONDS (default 10), V2_BENCH_CONNECTIONS (default 4), plus the app's own
 * MODEL_WORKERS and ORT_INTRA_OP_THREADS.
 */
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import sharp from 'sharp';
import { createApp } from '../src/app.js';
import { AppConfig } from '../src/platform/config/app-config.js';
import { benchEnv } from './serving/server.js';
import { ModelRegistry } from '../src/serving/lifecycle/model-registry.js';
import { pixelsToTensor } from '../src/tasks/tensor.js';
import { runLoad } from './load/autocannon.js';
import { startEchoServer } from './load/echo-server.js';
import type { BareLoopData } from './v2/bare-loop.js';

// Nest's start-up log only (errors and warnings stay), so that the table is readable.
process.env.NODE_ENV ??= 'test';
const MODELS_DIR = fileURLToPath(new URL('../../../../models/', import.meta.url));
const BARE_LOOP = new URL('./v2/bare-loop.js', import.meta.url);
const SECONDS = Number(process.env.V2_BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.V2_BENCH_CONNECTIONS ?? 4);

interface Case {
  model: string;
  image: string;
  width: number;
  height: number;
}

const CASES: Case[] = [
  { model: 'text-direction', image: 'line.png', width: 192, height: 48 },
  { model: 'esrgan-slim-x2', image: 'cat.jpg', width: 64, height: 64 },
];

async function benchCase(root: string, { model, image, width, height }: Case) {
  const config = AppConfig.fromEnv({ ...process.env, ...benchEnv({ modelsDir: MODELS_DIR, models: [model], runDir: root }), TILE_WORKERS: '0', HOST: '127.0.0.1' });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const registry = app.get(ModelRegistry);
  await registry.whenLoaded();
  const serving = registry.ready(model);
  const entry = registry.entry(model);
  if (entry.error !== undefined) throw new Error(entry.error);
  const instances = serving.main.instances;
  const threads = config.intraOpThreadsFor(instances);
  const { input, output } = serving.manifest;
  const pixels = await sharp(join(MODELS_DIR, model, image)).removeAlpha().resize(width, height, { fit: 'fill' }).raw().toBuffer();
  const tensor = pixelsToTensor(pixels, width, height, input);
  const dims = [1, 3, height, width];

  const header = Buffer.from(
    JSON.stringify({
      inputs: [{ name: input.name, shape: dims, datatype: 'FP32', parameters: { binary_data_size: tensor.byteLength } }],
      parameters: { binary_data_output: true },
    }),
  );
  const bodyFile = join(root, `${model}.body`);
  await writeFile(bodyFile, Buffer.concat([header, Buffer.from(tensor.buffer, tensor.byteOffset, tensor.byteLength)]));
  const { port } = app.getHttpServer().address() as AddressInfo;
  const load = {
    url: `http://127.0.0.1:${port}/v2/models/${model}/infer`,
    method: 'POST' as const,
    headers: { 'Content-Type': 'application/octet-stream', 'Inference-Header-Content-Length': String(header.length) },
    bodyFile,
    connections: CONNECTIONS,
  };
  const sample = await fetch(load.url, { method: 'POST', headers: load.headers, body: await readFile(bodyFile) });
  const answer = Buffer.from(await sample.arrayBuffer());
  if (!sample.ok) throw new Error(`${model}: V2 infer answered ${sample.status}: ${answer.toString()}`);
  await runLoad({ ...load, duration: 2 }); // warm-up: the request path compiled, the workers warm
  const before = serving.main.stats();
  const http = await runLoad({ ...load, duration: SECONDS });
  const after = serving.main.stats();
  const meanBatch = (after.units - before.units) / Math.max(1, after.batches - before.batches);
  await app.close();

  const echo = await startEchoServer(answer);
  await runLoad({ ...load, url: echo.url, duration: 2 });
  const floor = await runLoad({ ...load, url: echo.url, duration: SECONDS });
  await echo.close();

  // The same tensor on bare sessions: one per instance, with the same intra-op threads.
  const workers = Array.from({ length: instances }, () => {
    const workerData: BareLoopData = { weights: entry.weightsPath, threads, input: input.name, output: output.name, data: tensor, dims, seconds: SECONDS };
    return new Worker(BARE_LOOP, { workerData });
  });
  await Promise.all(workers.map((worker) => once(worker, 'message')));
  const runs = await Promise.all(
    workers.map(async (worker) => {
      worker.postMessage('go');
      const [count] = (await once(worker, 'message')) as [number];
      await worker.terminate();
      return count;
    }),
  );
  const bare = runs.reduce((sum, count) => sum + count, 0) / SECONDS;
  return { model, shape: dims.join('×'), layout: `${instances}×${threads}`, http, meanBatch, bare, floor: floor.requestsPerSecond };
}

const root = await mkdtemp(join(os.tmpdir(), 'dlserve-v2-bench-'));
try {
  console.log(`V2 infer (binary tensors) at concurrency ${CONNECTIONS} vs bare onnxruntime-node, ${SECONDS} s each, ${os.availableParallelism()} cores`);
  const rows = [];
  for (const each of CASES) rows.push(await benchCase(root, each));
  console.log('');
  console.log('| model | input | workers × threads | V2 HTTP req/s | p50 / p99 ms | mean batch | bare runs/s | HTTP floor req/s | ceiling req/s | V2 / bare | V2 / floor | V2 / ceiling |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const { model, shape, layout, http, meanBatch, bare, floor } of rows) {
    const ceiling = 1 / (1 / bare + 1 / floor);
    const failures = http.non2xx + http.errors > 0 ? ` (${http.non2xx} non-2xx, ${http.errors} errors)` : '';
    console.log(
      `| ${model} | ${shape} | ${layout} | ${http.requestsPerSecond.toFixed(1)}${failures} | ${http.latency.p50} / ${http.latency.p99} | ${meanBatch.toFixed(2)} | ${bare.toFixed(1)} | ${floor.toFixed(1)} | ${ceiling.toFixed(1)} | ${(http.requestsPerSecond / bare).toFixed(2)}× | ${(http.requestsPerSecond / floor).toFixed(2)}× | ${(http.requestsPerSecond / ceiling).toFixed(2)}× |`,
    );
  }
} finally {
  await rm(root, { recursive: true, force: true });
}
