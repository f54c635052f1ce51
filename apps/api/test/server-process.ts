import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../src/main.js', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  assetsDir: string;
  log: () => string;
  /** The server process's resident set size now, from /proc. */
  rss: () => Promise<number>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The built server as production runs it (`node dist/src/main.js`), on a free loopback port. */
export async function startServer(root: string, env: Record<string, string>, options: { healthyWithinMs?: number } = {}): Promise<ServerProcess> {
  const port = await freePort();
  const run = await mkdtemp(join(root, 'run-'));
  const assetsDir = join(run, 'assets');
  let output = '';
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      ASSETS_DIR: assetsDir,
      UPLOADS_DIR: join(run, 'uploads'),
      MODELS_DIR: join(root, 'models'),
      WEB_DIR: '',
      TILE_WORKERS: '0',
      MAX_QUEUE: '64',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  const healthyWithin = options.healthyWithinMs ?? 30_000;
  const deadline = performance.now() + healthyWithin;
  for (;;) {
    if (child.exitCode !== null) assert.fail(`the server exited: ${output}`);
    try {
      if ((await fetch(`${url}/api/health`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) assert.fail(`not healthy within ${healthyWithin} ms: ${output}`);
    await sleep(100);
  }
  const rss = async (): Promise<number> => {
    const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
  };
  return { child, url, assetsDir, log: () => output, rss, exited };
}

