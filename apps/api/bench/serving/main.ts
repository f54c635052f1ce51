/**
 * `pnpm bench`: the serving benchmark. For each scenario (a shipped model, or the compressor) with
 * a real image, in one run on this machine:
 *   in-process  the app's own pipeline (DataPlane / the compression service, with their worker
 *               pools) in this process, no HTTP, at concurrency 1/4/8/16;
 *   http        the built API as a separate process on loopback, loaded by autocannon from another
 *               process, at concurrency 1/4/8/16;
 *   nginx       the same through the real nginx with the repository's nginx.conf;
 *   batching    for models whose manifest batches, a second server whose manifests say
 *               `scheduler.maxBatchSize` 1, over HTTP at concurrency 16.
 * The four run side by side, and each (scenario, concurrency) is measured in-process, over HTTP and
 * through nginx one right after the other, so that on a shared machine the figures a ratio compares
 * were taken close together in time.
 * Prints a table per scenario and writes the figures (JSON) and a chart (SVG) to bench-results/.
 * Numbers, not a test: it checks every answer is a 200 and flags cells that are not.
 *
 *   BENCH_SECONDS         measured seconds per cell (default 4)
 *   BENCH_WARMUP_SECONDS  unmeasured seconds before each cell, same load (default 1)
 *   BENCH_SCENARIOS       comma-separated: model names and/or `compress` (default: see scenarios.ts)
 */
import 'reflect-metadata';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCompressOptions } from '../../src/api/rest/compress-options.js';
import { parseInferenceOptions } from '../../src/api/rest/inference-options.js';
import { createApp } from '../../src/app.js';
import { ImageCodec } from '../../src/infrastructure/imaging/image-codec.js';
import { AppConfig } from '../../src/platform/config/app-config.js';
import { DataPlane } from '../../src/serving/dataplane.js';
import { ModelRegistry } from '../../src/serving/lifecycle/model-registry.js';
import { CompressBatchService } from '../../src/tasks/compression/compression.service.js';
import { runHttp, stopLoad } from './http.js';
import { runClosedLoop } from './in-process.js';
import { writeUnbatchedRepository } from './manifest.js';
import { startNginxFront } from './nginx.js';
import { flag, formatReport } from './report.js';
import { BATCHING_TARGET, type BenchRun, type Cell, type RequestPath } from './results.js';
import { COMPRESS, DEFAULT_SCENARIOS, DEFAULT_SCENARIOS_NOTE, loadScenario, multipartBody, type Scenario } from './scenarios.js';
import { benchEnv, freePort, type Server, startServer } from './server.js';
import { type Sample, summarize } from './stats.js';
import { renderSvg } from './svg.js';

const ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));
const MODELS_DIR = join(ROOT, 'models');
const PHOTOS_DIR = join(ROOT, 'fixtures/photos');
const RESULTS_DIR = join(ROOT, 'bench-results');
const CONCURRENCY = [1, 4, 8, 16];
const BOUNDARY = 'dlserve-bench-boundary';

function seconds(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number of seconds ≥ 0, not '${raw}'`);
  return value;
}

const SECONDS = seconds('BENCH_SECONDS', 4);
const WARMUP_SECONDS = seconds('BENCH_WARMUP_SECONDS', 1);
const SCENARIOS = (process.env.BENCH_SCENARIOS?.trim() ? process.env.BENCH_SCENARIOS.split(',').map((name) => name.trim()).filter(Boolean) : [...DEFAULT_SCENARIOS]);

/** Everything to stop or remove, newest first, on the way out: normally, on an error, or on Ctrl-C. */
const cleanups: Array<() => Promise<void>> = [];
let interrupted = false;
/** Runs every cleanup once; a second caller (Ctrl-C during the normal end) waits for the same work. */
let cleaning: Promise<void> | null = null;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    stopLoad();
    while (cleanups.length > 0) {
      await cleanups.pop()!().catch((error: unknown) => console.error(`cleanup: ${error instanceof Error ? error.message : String(error)}`));
    }
  })().finally(() => (cleaning = null));
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`\n${signal}: stopping the servers, nginx and the load generator…`);
    void cleanUp().finally(() => process.exit(130));
  });
}

function record(cells: Cell[], scenario: Scenario, path: RequestPath, concurrency: number, sample: Sample, batching: 'on' | 'off' = 'on'): void {
  const cell: Cell = { scenario: scenario.name, path, concurrency, batching, ...summarize(sample), loadAverage1m: loadavg()[0]! };
  cells.push(cell);
  const failed = cell.non200 + cell.errors > 0 ? `  FAILED: ${cell.non200} non-200, ${cell.errors} errors` : cell.requests === 0 ? '  NO ANSWER IN TIME' : '';
  console.log(`  ${scenario.name.padEnd(18)} ${path.padEnd(10)} batching ${batching.padEnd(3)} c=${String(concurrency).padEnd(2)}  ${cell.requestsPerSecond.toFixed(2).padStart(8)} req/s  p50 ${cell.p50.toFixed(1)} ms  p99 ${cell.p99.toFixed(1)} ms  load ${cell.loadAverage1m!.toFixed(1)}${failed}`);
}

/** The app built as the server builds it, but not listening: a call runs one request's image through its pipeline. */
async function startInProcess(env: Record<string, string>): Promise<{ call(scenario: Scenario): Promise<unknown>; stop(): Promise<void> }> {
  process.env.NODE_ENV ??= 'test'; // Nest's start-up log off (createApp keeps errors and warnings)
  const app = await createApp(AppConfig.fromEnv({ ...process.env, ...env }));
  await app.init();
  await app.get(ModelRegistry).whenLoaded();
  const dataPlane = app.get(DataPlane);
  const compressor = app.get(CompressBatchService);
  const codec = app.get(ImageCodec);
  const settings = parseInferenceOptions({}, {}, undefined);
  const compressSettings = parseCompressOptions({}, {});
  return {
    // A fresh copy each time, as each upload is: the workers take (move) the bytes they are given.
    call: async (scenario) => {
      const data = Buffer.from(scenario.file.data);
      const images = [{ name: scenario.file.name, data, info: await codec.inspect(data) }];
      return scenario.model === null ? compressor.compressAll(images, compressSettings) : dataPlane.infer(scenario.model, images, settings);
    },
    stop: () => app.close(),
  };
}

/** Starts something and registers its stop for any way out (cleanUp). */
async function started<T extends { stop(): Promise<void> }>(start: Promise<T>): Promise<T> {
  const running = await start;
  cleanups.push(() => running.stop());
  return running;
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const work = await mkdtemp(join(tmpdir(), 'dlserve-bench-'));
  cleanups.push(() => rm(work, { recursive: true, force: true }));
  const scenarios: Scenario[] = [];
  for (const name of SCENARIOS) scenarios.push(await loadScenario(name, { modelsDir: MODELS_DIR, photosDir: PHOTOS_DIR }));
  const bodies = new Map<string, string>();
  for (const scenario of scenarios) {
    const file = join(work, `${scenario.name}.body`);
    await writeFile(file, multipartBody(BOUNDARY, scenario.file));
    bodies.set(scenario.name, file);
  }
  const models = scenarios.flatMap((scenario) => (scenario.model ? [scenario.model] : []));
  const notes: string[] = [];
  if (!process.env.BENCH_SCENARIOS) notes.push(DEFAULT_SCENARIOS_NOTE);
  notes.push(`in-process also runs at concurrency 8, for the HTTP target's ratio; every cell: ${WARMUP_SECONDS} s warm-up, then ${SECONDS} s measured`);
  if (!SCENARIOS.includes(COMPRESS)) notes.push('compressor not in BENCH_SCENARIOS');
  console.log(`dlserve serving bench: ${scenarios.map((s) => s.name).join(', ')}; ${availableParallelism()} cores; load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
  for (const note of notes) console.log(`note: ${note}`);

  // Everything runs side by side and each (scenario, concurrency) is measured in-process, over HTTP
  // and through nginx one after the other: on a shared machine, the three figures a ratio
  // compares are taken as close together in time as they can be. Idle servers cost memory, not CPU.
  console.log('\nstarting: the app in this process, the API server, nginx in front of it, and the batching-off server…');
  const inProcess = await started(startInProcess(benchEnv({ modelsDir: MODELS_DIR, models, runDir: join(work, 'in-process') })));
  const runDir = join(work, 'server');
  const server = await started(startServer(benchEnv({ modelsDir: MODELS_DIR, models, runDir })));
  const nginx = await started(startNginxFront({ apiAddress: server.address, port: await freePort(), assetsDir: join(runDir, 'assets'), runDir: join(work, 'nginx') }));
  const batched = scenarios.filter((scenario) => scenario.maxBatchSize > 1).map((scenario) => scenario.model!);
  let unbatched: Server | null = null;
  if (batched.length > 0) {
    const offModels = join(work, 'models-unbatched');
    await mkdir(offModels);
    await writeUnbatchedRepository(MODELS_DIR, batched, offModels);
    unbatched = await started(startServer(benchEnv({ modelsDir: offModels, models: batched, runDir: join(work, 'server-unbatched') })));
  }
  console.log(`in-process; HTTP ${server.url}; nginx ${nginx.url}${unbatched ? `; batching off ${unbatched.url} (${batched.join(', ')})` : ''}\n`);

  const cells: Cell[] = [];
  const http = async (scenario: Scenario, baseUrl: string, connections: number): Promise<Sample> =>
    runHttp({ url: `${baseUrl}${scenario.route}`, bodyFile: bodies.get(scenario.name)!, boundary: BOUNDARY, connections, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS });
  for (const scenario of scenarios) {
    const call = () => inProcess.call(scenario);
    for (const concurrency of CONCURRENCY) {
      record(cells, scenario, 'in-process', concurrency, await runClosedLoop(call, concurrency, SECONDS, WARMUP_SECONDS));
      record(cells, scenario, 'http', concurrency, await http(scenario, server.url, concurrency));
      record(cells, scenario, 'nginx', concurrency, await http(scenario, nginx.url, concurrency));
      if (unbatched && scenario.model && batched.includes(scenario.model) && concurrency === BATCHING_TARGET.concurrency) {
        record(cells, scenario, 'http', concurrency, await http(scenario, unbatched.url, concurrency), 'off');
      }
    }
  }
  await cleanUp(); // the servers, nginx and the app are done; the results are still to write

  const run: BenchRun = {
    startedAt: startedAt.toISOString(),
    machine: { cores: availableParallelism(), node: process.version, loadAverage: loadavg() },
    settings: { seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, concurrency: { inProcess: CONCURRENCY, http: CONCURRENCY, batching: BATCHING_TARGET.concurrency } },
    scenarios: scenarios.map((scenario) => ({ name: scenario.name, request: scenario.description, maxBatchSize: scenario.maxBatchSize })),
    cells,
    notes,
  };
  console.log(formatReport(run));
  console.log(`\n${notes.map((note) => `note: ${note}`).join('\n')}`);
  const flagged = cells.filter((cell) => flag(cell) !== '').length;
  if (flagged > 0) console.log(`${flagged} cell(s) flagged above (failed requests, or none answered in time): their figures do not stand.`);
  await mkdir(RESULTS_DIR, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const base = join(RESULTS_DIR, `serving-${stamp}`);
  await writeFile(`${base}.json`, `${JSON.stringify(run, null, 2)}\n`);
  await writeFile(`${base}.svg`, renderSvg(run));
  console.log(`\nwritten: ${base}.json, ${base}.svg`);
}

try {
  await main();
} catch (error) {
  if (!interrupted) console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
