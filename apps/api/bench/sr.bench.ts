/**
 * Benchmark of the shipped super-resolution models (`pnpm bench:sr`). Not a test: it prints numbers.
 *
 * Per model, on the same real photos (fixtures/photos), in ms per *input* megapixel:
 *   in-process  DataPlane.infer of the real Nest app (decode, tiles on the worker pool, PNG
 *               encode, write)
 *   HTTP        POST /api/models/<name> to the real app on 127.0.0.1 (multipart, PNG result)
 *   bare 1×N    onnxruntime-node, the same tiles pre-made as float tensors, nothing but session.run
 *               in a loop, one session with a thread per core: the plain limit
 *   bare T×1    the same in TILE_WORKERS worker threads with single-threaded sessions, each taking
 *               the next tile: the limit of the service's tile workers
 *   UpscalerJS  upscaler@1.0.0 + @tensorflow/tfjs on the wasm backend, the same weights (the
 *               @upscalerjs/esrgan-* definitions), the same tile size and overlap (see upscalerjs.ts)
 * then a 12-megapixel photo ×2 through the service in a child process, for its peak RSS.
 *
 * Targets: HTTP / bare 1×N ≤ 1.15 (the issue's bare loop; also printed against bare T×1); peak RSS
 * of the 12 MP run < 2 GB.
 * Environment: SR_BENCH_PHOTOS (comma-separated file names), SR_BENCH_MODELS (comma-separated
 * model names; all esrgan-* by default), SR_BENCH_SKIP_UPSCALERJS=1,
 * SR_BENCH_SKIP_RSS=1, plus the app's own MODEL_WORKERS, ORT_INTRA_OP_THREADS and TILE_WORKERS.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { ImageToImageResponse, ModelManifest } from '@dlserve/shared';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { createApp } from '../src/app.js';
import { AppConfig } from '../src/platform/config/app-config.js';
import { benchEnv } from './serving/server.js';
import { ImageCodec } from '../src/infrastructure/imaging/image-codec.js';
import { parseInferenceOptions } from '../src/api/rest/inference-options.js';
import { DataPlane } from '../src/serving/dataplane.js';
import { ModelRegistry } from '../src/serving/lifecycle/model-registry.js';
import { imageDims, pixelsToTensor } from '../src/tasks/tensor.js';
import { cropTile, planTiles } from '../src/tasks/super-resolution/tiling.js';
import type { RgbImage } from '../src/tasks/task.js';
import type { UploadedImage } from '../src/platform/http/parse-images.pipe.js';
import type { BareWorkerData } from './sr/bare-worker.js';
import { loadUpscaler, modelDefinition, useWasmBackend } from './upscalerjs.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '../../../..');
const PHOTOS_DIR = join(ROOT, 'fixtures/photos');
const MODELS_DIR = join(ROOT, 'models');
const RATIO_GOAL = 1.15;
const RSS_GOAL = 2 * 1024 ** 3;
const BIG = { width: 4000, height: 3000, model: 'esrgan-slim-x2', copies: 2 };
/** Two photos (0.38 MP together) keep the whole bench near 10 minutes on 2 cores. */
const DEFAULT_PHOTOS = ['chelsea.png', 'coffee.png'];
/** thick runs ~2 min per input MP here (and far slower in TF.js): small centre crops only. */
const THICK_CROP = 128;

/** What a plain `POST /api/models/<name>` asks for: a PNG result, synchronously. */
const PNG_RESULT = () => parseInferenceOptions({}, { format: 'png' }, undefined);

process.env.NODE_ENV = 'test'; // the app logs only warnings and errors

interface Photo {
  name: string;
  file: Buffer;
  image: RgbImage;
  megapixels: number;
}

interface Row {
  model: string;
  inputs: string;
  inProcess: number;
  http: number;
  /** One session with every core. */
  bareLoop: number;
  /** The service's layout. */
  bareLayout: number;
  upscalerjs: number | null;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** Median over `repeats` runs of `run` (which handles every input once), as ms per input MP. */
async function msPerMp(megapixels: number, repeats: number, run: () => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return median(times) / megapixels;
}

async function rgb(pipeline: sharp.Sharp): Promise<RgbImage> {
  const { data, info } = await pipeline.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { pixels: new Uint8Array(data), width: info.width, height: info.height };
}

async function photo(name: string, crop: number | null): Promise<Photo> {
  let pipeline = sharp(join(PHOTOS_DIR, name));
  if (crop !== null) {
    const meta = await pipeline.metadata();
    const width = Math.min(crop, meta.width!);
    const height = Math.min(crop, meta.height!);
    pipeline = pipeline.extract({ left: (meta.width! - width) >> 1, top: (meta.height! - height) >> 1, width, height });
  }
  const file = await pipeline.png().toBuffer();
  const image = await rgb(sharp(file));
  return { name: crop === null ? name : `${name} ${image.width}×${image.height} crop`, file, image, megapixels: (image.width * image.height) / 1e6 };
}

/** The real app with one model, on temporary folders; listening on 127.0.0.1 at a free port. */
async function startApp(model: string, root: string) {
  const config = AppConfig.fromEnv({ ...process.env, ...benchEnv({ modelsDir: MODELS_DIR, models: [model], runDir: root }), HOST: '127.0.0.1' });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const registry = app.get(ModelRegistry);
  await registry.whenLoaded();
  registry.ready(model); // throws if it failed to load
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, config, registry, inference: app.get(DataPlane), codec: app.get(ImageCodec), url: `http://127.0.0.1:${port}/api/models/${model}` };
}

async function uploaded(codec: ImageCodec, photos: Photo[]): Promise<UploadedImage[]> {
  return Promise.all(photos.map(async (p) => ({ name: p.name, data: p.file, info: await codec.inspect(p.file) })));
}

async function postImage(url: string, p: Photo): Promise<void> {
  const form = new FormData();
  form.append('the_file', new Blob([new Uint8Array(p.file)], { type: 'image/png' }), p.name.split(' ')[0]);
  const response = await fetch(url, { method: 'POST', body: form });
  if (response.status !== 200) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as ImageToImageResponse;
  if (body.files.length !== 1) throw new Error('expected one result');
}

/** The model's tiles of the photos as float tensors, made up front. */
function tileTensors(manifest: ModelManifest, photos: Photo[]): Array<{ data: Float32Array; dims: number[] }> {
  const { tile, overlap } = manifest.imageToImage!;
  return photos.flatMap(({ image }) =>
    planTiles(image.width, image.height, tile, overlap).map((part) => ({
      data: pixelsToTensor(cropTile(image.pixels, image.width, 3, part), part.x.size, part.y.size, manifest.input),
      dims: imageDims(manifest.input.layout, 1, part.x.size, part.y.size),
    })),
  );
}

/**
 * The limit: nothing but session.run over the tiles, made up front, in `workers` worker threads
 * with a session of `threads` threads each, every worker taking the next tile when it is free.
 * One worker with every core is the plain loop; the service's own layout is the other bound.
 */
async function bareLoop(manifest: ModelManifest, weights: string, photos: Photo[], repeats: number, workers: number, threads: number): Promise<number> {
  const tiles = tileTensors(manifest, photos);
  const workerData: BareWorkerData = { weights, threads, input: manifest.input.name, output: manifest.output.name, tiles };
  const pool = await Promise.all(
    Array.from({ length: workers }, async () => {
      const worker = new Worker(new URL('./sr/bare-worker.js', import.meta.url), { workerData });
      const [message] = (await once(worker, 'message')) as [unknown];
      if (message !== 'ready') throw new Error(`bare worker: ${String(message)}`);
      return worker;
    }),
  );
  try {
    const megapixels = photos.reduce((sum, p) => sum + p.megapixels, 0);
    return await msPerMp(megapixels, repeats, async () => {
      let next = 0;
      await Promise.all(
        pool.map(async (worker) => {
          while (next < tiles.length) {
            worker.postMessage(next++);
            await once(worker, 'message');
          }
        }),
      );
    });
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
}

async function upscalerJs(manifest: ModelManifest, photos: Photo[]): Promise<number> {
  const [, size, x] = /^esrgan-(\w+)-x(\d)$/.exec(manifest.name)!;
  const { tile, overlap } = manifest.imageToImage!;
  const upscaler = await loadUpscaler(modelDefinition(size!, Number(x)), tile, overlap);
  try {
    await upscaler.upscale(new Uint8Array(32 * 32 * 3).fill(128), 32, 32); // warm-up
    const megapixels = photos.reduce((sum, p) => sum + p.megapixels, 0);
    return await msPerMp(megapixels, 1, async () => {
      for (const { image } of photos) await upscaler.upscale(image.pixels, image.width, image.height);
    });
  } finally {
    await upscaler.dispose();
  }
}

async function benchModel(manifest: ModelManifest, photos: Photo[], repeats: number): Promise<Row> {
  const name = manifest.name;
  const megapixels = photos.reduce((sum, p) => sum + p.megapixels, 0);
  const root = await mkdtemp(join(os.tmpdir(), 'dlserve-sr-bench-'));
  const { app, inference, codec, url } = await startApp(name, root);
  let row: Row;
  try {
    const uploads = await uploaded(codec, photos);
    const settings = PNG_RESULT();
    // One untimed pass through the service, so the first timed run pays for no first-use costs.
    await inference.infer(name, uploads.slice(0, 1), settings);
    const inProcess = await msPerMp(megapixels, repeats, async () => {
      for (const upload of uploads) await inference.infer(name, [upload], settings);
    });
    const http = await msPerMp(megapixels, repeats, async () => {
      for (const p of photos) await postImage(url, p);
    });
    row = { model: name, inputs: photos.map((p) => p.name).join(', '), inProcess, http, bareLoop: 0, bareLayout: 0, upscalerjs: null };
  } finally {
    await app.close();
    await rm(root, { recursive: true, force: true });
  }
  if (typeof manifest.weights !== 'string') throw new Error(`${name}: the bench reads weights from the model's folder only`);
  const weights = join(MODELS_DIR, name, manifest.weights);
  const cores = os.availableParallelism();
  const { tileWorkers } = AppConfig.fromEnv(process.env);
  row.bareLoop = await bareLoop(manifest, weights, photos, repeats, 1, cores);
  row.bareLayout = tileWorkers === 0 ? row.bareLoop : await bareLoop(manifest, weights, photos, repeats, tileWorkers, 1);
  if (process.env.SR_BENCH_SKIP_UPSCALERJS !== '1') row.upscalerjs = await upscalerJs(manifest, photos);
  return row;
}

/** Where the service's time goes beyond the model: decoding the photos, and a lossless PNG of outputs of the model's size (whole, not band by band). */
async function codecCosts(photos: Photo[], scale: number): Promise<{ decode: number; encode: number }> {
  const codec = new ImageCodec();
  const megapixels = photos.reduce((sum, p) => sum + p.megapixels, 0);
  const outputs = await Promise.all(
    photos.map(async (p) => {
      const { data, info } = await sharp(p.file).resize(p.image.width * scale, p.image.height * scale).raw().toBuffer({ resolveWithObject: true });
      return { data, width: info.width, height: info.height, channels: 3 as const };
    }),
  );
  const decode = await msPerMp(megapixels, 3, async () => {
    for (const p of photos) await codec.decodeRgb(p.file);
  });
  const encode = await msPerMp(megapixels, 3, async () => {
    for (const output of outputs) await codec.encode(output, 'png', { quality: null, fast: true });
  });
  return { decode, encode };
}

/** The 12 MP run, in a process of its own so that its VmHWM is its own. */
async function bigRun(): Promise<void> {
  const source = await sharp(join(PHOTOS_DIR, 'hubble_deep_field.jpg')).resize(BIG.width, BIG.height, { fit: 'fill', kernel: 'lanczos3' }).png().toBuffer();
  const root = await mkdtemp(join(os.tmpdir(), 'dlserve-sr-bench-'));
  const { app, inference, codec } = await startApp(BIG.model, root);
  const peak = { rss: 0 };
  const sample = (): void => {
    peak.rss = Math.max(peak.rss, process.memoryUsage.rss());
  };
  try {
    const info = await codec.inspect(source);
    const images = Array.from({ length: BIG.copies }, (_, i) => ({ name: `big-${i + 1}.png`, data: source, info }));
    global.gc?.();
    const baseline = process.memoryUsage.rss();
    const timer = setInterval(sample, 50);
    const started = performance.now();
    const result = await inference.infer(BIG.model, images, PNG_RESULT());
    const ms = performance.now() - started;
    clearInterval(timer);
    sample();
    const status = await readFile('/proc/self/status', 'utf8');
    const hwmKb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
    const files = result.task === 'image-to-image' ? result.files : [];
    process.stdout.write(
      `${JSON.stringify({ ms, baseline, peakRss: peak.rss, vmHwm: hwmKb * 1024, outputs: files.map((f) => `${f.width}×${f.height} ${(f.bytesOut / 1e6).toFixed(1)} MB PNG in ${(f.ms / 1000).toFixed(1)} s`) })}\n`,
    );
  } finally {
    await app.close();
    await rm(root, { recursive: true, force: true });
  }
}

const fmt = (value: number | null, digits = 0): string => (value === null ? '—' : value.toFixed(digits));
const mb = (bytes: number): string => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
const pad = (cells: string[], widths: number[]): string => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');

async function main(): Promise<void> {
  if (process.argv.includes('--big')) return bigRun();
  const config = AppConfig.fromEnv(process.env);
  const photoNames = process.env.SR_BENCH_PHOTOS?.split(',').map((n) => n.trim()) ?? DEFAULT_PHOTOS;
  const only = process.env.SR_BENCH_MODELS?.split(',').map((n) => n.trim());
  const folders = (await readdir(MODELS_DIR, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && e.name.startsWith('esrgan-') && (!only || only.includes(e.name)))
    .map((e) => e.name)
    .sort();
  const manifests = await Promise.all(folders.map(async (f) => JSON.parse(await readFile(join(MODELS_DIR, f, 'model.json'), 'utf8')) as ModelManifest));
  const full = await Promise.all(photoNames.map((n) => photo(n, null)));
  const crops = await Promise.all(photoNames.map((n) => photo(n, THICK_CROP)));
  const wasm = process.env.SR_BENCH_SKIP_UPSCALERJS === '1' ? null : await useWasmBackend();

  console.log(`dlserve super-resolution bench — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, onnxruntime-node ${ort.env.versions.common}`);
  console.log(
    `service layout per model: ${config.modelWorkers} worker(s) × ${config.intraOpThreadsFor(config.modelWorkers)} ORT thread(s) (MODEL_WORKERS, ORT_INTRA_OP_THREADS) for small images, ${config.tileWorkers} tile worker(s) × 1 (TILE_WORKERS) for the tiles of large ones; ORT spinning off; results PNG`,
  );
  console.log(`photos: ${full.map((p) => `${p.name} ${p.image.width}×${p.image.height}`).join(', ')} (${full.reduce((s, p) => s + p.megapixels, 0).toFixed(3)} MP)`);
  console.log(`esrgan-thick-x4: only ${THICK_CROP}×${THICK_CROP} centre crops of the same photos (thick is ~2 min/MP in ORT here, far more in TF.js)`);
  if (wasm) console.log(`UpscalerJS: upscaler@1.0.0 on @tensorflow/tfjs 4.22.0 wasm backend (SIMD, ${wasm.threads} thread: Node has no wasm threads here), patchSize = tile, padding = overlap`);
  console.log('all figures: ms per input megapixel, median of the runs noted per model (×n)\n');

  const rows: Row[] = [];
  const costs = new Map<number, { decode: number; encode: number }>();
  for (const manifest of manifests) {
    const thick = manifest.name.includes('thick');
    const repeats = manifest.name.includes('slim') ? 3 : 1;
    const started = performance.now();
    const row = await benchModel(manifest, thick ? crops : full, repeats);
    rows.push(row);
    const scale = manifest.imageToImage!.scale;
    if (!thick && !costs.has(scale)) costs.set(scale, await codecCosts(full, scale));
    console.log(`  ${manifest.name} done in ${((performance.now() - started) / 1000).toFixed(0)} s (×${repeats})`);
  }

  const cores = os.availableParallelism();
  const bareTiles = `bare ${config.tileWorkers}×1`;
  const widths = [18, 11, 9, 10, 10, 11, 11, 11, 9];
  console.log();
  console.log(pad(['model', 'in-process', 'HTTP', `bare 1×${cores}`, bareTiles, `HTTP/1×${cores}`, `HTTP/${config.tileWorkers}×1`, 'UpscalerJS', 'speed-up'], widths));
  for (const row of rows) {
    const ratio = row.http / row.bareLoop;
    const verdict = ratio <= RATIO_GOAL ? 'PASS' : 'MISS';
    const speedUp = row.upscalerjs === null ? null : row.upscalerjs / row.http;
    console.log(
      pad(
        [
          row.model,
          fmt(row.inProcess),
          fmt(row.http),
          fmt(row.bareLoop),
          fmt(row.bareLayout),
          `${ratio.toFixed(2)} ${verdict}`,
          (row.http / row.bareLayout).toFixed(2),
          fmt(row.upscalerjs),
          speedUp === null ? '—' : `${speedUp.toFixed(1)}×`,
        ],
        widths,
      ),
    );
  }
  console.log(`(target: HTTP ≤ ${RATIO_GOAL} × the bare loop 1×${cores}; ${bareTiles}: the same tiles on the tile workers' layout, without tiling, conversion or encoding; speed-up = UpscalerJS / HTTP)`);
  console.log('\ncodec costs, ms per input MP (same photos; lossless PNG of an output of the model\'s size, encoded whole):');
  for (const [scale, cost] of costs) console.log(`  ×${scale}: decode ${fmt(cost.decode)}, PNG encode of the ×${scale} output ${fmt(cost.encode)}`);

  if (process.env.SR_BENCH_SKIP_RSS === '1') return;
  console.log(`\n12 MP run: hubble_deep_field.jpg upscaled to ${BIG.width}×${BIG.height} with sharp (synthetic-from-real), ×${BIG.copies} in one DataPlane.infer with ${BIG.model}, PNG out, in a child process`);
  const child = spawn(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--big'], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`the 12 MP run exited with code ${code}`);
  const big = JSON.parse(out.trim().split('\n').pop()!) as { ms: number; baseline: number; peakRss: number; vmHwm: number; outputs: string[] };
  const peak = Math.max(big.peakRss, big.vmHwm);
  console.log(`  outputs: ${big.outputs.join('; ')}`);
  console.log(`  time ${(big.ms / 1000).toFixed(1)} s (${fmt(big.ms / ((BIG.copies * BIG.width * BIG.height) / 1e6))} ms per input MP)`);
  console.log(`  RSS before ${mb(big.baseline)}, peak sampled every 50 ms ${mb(big.peakRss)}, VmHWM ${mb(big.vmHwm)}`);
  console.log(`  peak RSS ${mb(peak)} vs target < ${mb(RSS_GOAL)}: ${peak < RSS_GOAL ? 'PASS' : 'MISS'}`);
}

await main();
