import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error -- a plain ES module script shared with `pnpm start:nginx`
import { startNginx } from '../../../scripts/nginx.mjs';

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const API_MAIN = join(ROOT, 'apps/api/dist/src/main.js');
const WEB_DIST = join(ROOT, 'apps/web/dist');

/** The production layout on loopback: the built API behind the real nginx with the repo's nginx.conf. */
export interface Stack {
  /** nginx's base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  assetsDir: string;
  stopApi(): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  maxFileBytes?: number;
  maxFiles?: number;
  /** `MODELS`: which of the repository's models to load (all when unset). */
  models?: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitFor(url: string, child: ChildProcess, what: string, output: () => string): Promise<void> {
  // The API answers 503 until its models are warmed up.
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}):\n${output()}`);
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
      await response.body?.cancel();
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not answer ${url} within 90 s:\n${output()}`);
}

async function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((done) => {
    child.once('exit', () => done());
    child.kill(signal);
  });
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const root = await mkdtemp(join(tmpdir(), 'dlserve-stack-'));
  const assetsDir = join(root, 'assets');
  const [apiPort, nginxPort] = [await freePort(), await freePort()];
  const maxFileBytes = options.maxFileBytes ?? 25 * 1024 * 1024;
  const maxFiles = options.maxFiles ?? 20;

  let apiLog = '';
  const api = spawn(process.execPath, [API_MAIN], {
    env: {
      ...process.env,
      PORT: String(apiPort),
      HOST: '127.0.0.1',
      ASSETS_DIR: assetsDir,
      UPLOADS_DIR: join(root, 'uploads'),
      MAX_FILE_BYTES: String(maxFileBytes),
      MAX_FILES: String(maxFiles),
      WEB_DIR: '', // nginx serves the app
      TRUST_PROXY: 'loopback', // nginx's X-Forwarded-For names the client
      ...(options.models !== undefined && { MODELS: options.models }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  api.stdout?.on('data', (chunk: Buffer) => (apiLog += chunk.toString()));
  api.stderr?.on('data', (chunk: Buffer) => (apiLog += chunk.toString()));
  await waitFor(`http://127.0.0.1:${apiPort}/api/health`, api, 'the API', () => apiLog);

  let nginxLog = '';
  const nginx: ChildProcess = startNginx(
    {
      listen: `127.0.0.1:${nginxPort}`,
      webRoot: WEB_DIST,
      assetsDir,
      apiAddress: `127.0.0.1:${apiPort}`,
      maxBodyBytes: maxFiles * maxFileBytes + 1024 * 1024,
      runDir: join(root, 'nginx'),
      user: process.getuid?.() === 0 ? 'root' : null,
    },
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  nginx.stderr?.on('data', (chunk: Buffer) => (nginxLog += chunk.toString()));
  const url = `http://127.0.0.1:${nginxPort}`;
  await waitFor(`${url}/`, nginx, 'nginx', () => nginxLog);

  return {
    url,
    assetsDir,
    stopApi: () => stopProcess(api, 'SIGTERM'),
    stop: async () => {
      await Promise.all([stopProcess(nginx, 'SIGQUIT'), stopProcess(api, 'SIGTERM')]);
      await rm(root, { recursive: true, force: true });
    },
  };
}

export const PHOTOS_DIR = join(ROOT, 'fixtures/photos');
