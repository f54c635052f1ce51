/**
 * Peak RSS of the server for the largest input each limit lets through: a 40 MP photo-like JPEG
 * to POST /api/compress (MAX_IMAGE_PIXELS) and a 4 MP one to esrgan-slim-x2 (its manifest's
 * maxInputMegapixels). The server runs as its own process (node dist/src/main.js, on temporary
 * stores); its peak is the kernel's VmHWM (/proc/<pid>/status), which counts every thread: the
 * compression pool and the model's workers included. One server per measurement, so each peak is
 * that request's alone. Linux only.
 *
 *   pnpm --filter @dlserve/api bench:peak-rss           # both
 *   PEAK_RSS_ONLY=compress pnpm … bench:peak-rss        # or sr
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const MAIN = fileURLToPath(new URL('../src/main.js', import.meta.url));
const PHOTO = fileURLToPath(new URL('../../../../fixtures/photos/rocket.jpg', import.meta.url));
const MiB = 1024 * 1024;

interface Run {
  label: string;
  path: string;
  width: number;
  height: number;
  env: Record<string, string>;
}

async function vm(pid: number, field: 'VmHWM' | 'VmRSS'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
}

async function measure(run: Run, port: number): Promise<void> {
  // A photo blown up to the size, so it compresses (and upscales) like one, not like a flat colour.
  const input = await sharp(PHOTO).resize(run.width, run.height, { fit: 'fill' }).jpeg({ quality: 90 }).toBuffer();
  const root = await mkdtemp(join(tmpdir(), 'dlserve-peak-'));
  const server = spawn(process.execPath, [MAIN], {
    env: { ...process.env, PORT: String(port), WEB_DIR: '', ASSETS_DIR: join(root, 'assets'), UPLOADS_DIR: join(root, 'uploads'), MAX_FILE_BYTES: String(64 * MiB), MODELS_DIR: join(root, 'models'), ...run.env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const pid = server.pid!;
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      const ready = await fetch(`${base}/api/health`).then((r) => r.ok, () => false);
      const models = ready && run.env.MODELS ? ((await (await fetch(`${base}/api/models`)).json()) as { models: Array<{ status: string }> }).models : [];
      if (ready && models.length > 0 && models.every((model) => model.status === 'ready')) break;
      if (models.some((model) => model.status === 'failed')) throw new Error(`a model failed to load: ${JSON.stringify(models)}`);
      if (i > 600) throw new Error('the server did not start');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const idle = await vm(pid, 'VmRSS');
    const form = new FormData();
    form.append('the_file', new Blob([new Uint8Array(input)], { type: 'image/jpeg' }), 'big.jpg');
    const started = performance.now();
    const response = await fetch(`${base}${run.path}`, { method: 'POST', body: form });
    const seconds = (performance.now() - started) / 1000;
    const answer = await response.text();
    if (!response.ok) console.log(answer.slice(0, 300));
    const peak = await vm(pid, 'VmHWM');
    console.log(
      `${run.label}: ${run.width}×${run.height} (${((run.width * run.height) / 1e6).toFixed(1)} MP, ${(input.length / MiB).toFixed(1)} MiB JPEG) → ` +
        `HTTP ${response.status} in ${seconds.toFixed(1)} s; RSS idle ${Math.round(idle / MiB)} MiB, peak ${Math.round(peak / MiB)} MiB`,
    );
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    await rm(root, { recursive: true, force: true });
  }
}

const MODELS_DIR = fileURLToPath(new URL('../../../../models/', import.meta.url));
const runs: Run[] = [
  { label: 'compress', path: '/api/compress', width: 7300, height: 5475, env: {} },
  { label: 'esrgan-slim-x2', path: '/api/models/esrgan-slim-x2', width: 2300, height: 1738, env: { MODELS_DIR, MODELS: 'esrgan-slim-x2' } },
];
const only = process.env.PEAK_RSS_ONLY;
let port = 18_900;
for (const run of runs) if (!only || run.label.startsWith(only)) await measure(run, port++);
