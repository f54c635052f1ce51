/**
 * The built API as a separate process on a random loopback port, with the environment the
 * in-process runs use too, so that both measure the same configuration.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../test/server-process.js';

const MAIN = fileURLToPath(new URL('../../src/main.js', import.meta.url));

export { freePort };

/**
 * The API's settings for a bench run: the product defaults but for where files go, which models
 * load, no web app, and no rate limit (600 requests a minute per client would refuse most of a cell).
 */
export function benchEnv(options: { modelsDir: string; models: readonly string[]; runDir: string }): Record<string, string> {
  return {
    MODELS_DIR: options.modelsDir,
    MODELS: options.models.join(','),
    ASSETS_DIR: join(options.runDir, 'assets'),
    UPLOADS_DIR: join(options.runDir, 'uploads'),
    WEB_DIR: '',
    RATE_LIMIT_MAX: '0',
  };
}

export interface Server {
  url: string;
  address: string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitForHealth(url: string, child: ChildProcess, withinMs: number, log: () => string): Promise<void> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${url}: the process exited (${child.exitCode ?? child.signalCode}):\n${log()}`);
    try {
      const response = await fetch(url);
      await response.body?.cancel();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) throw new Error(`${url} was not healthy within ${withinMs} ms:\n${log()}`);
    await sleep(200);
  }
}

/** Stops a child, SIGKILL if it is still there after 10 s. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export async function startServer(env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  let log = '';
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, ...env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-20_000)));
  child.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-20_000)));
  const address = `127.0.0.1:${port}`;
  const stop = () => stopChild(child, 'SIGTERM');
  try {
    // Healthy once every model is loaded and warmed: a busy 2-core machine can take a while.
    await waitForHealth(`http://${address}/api/health`, child, 180_000, () => log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `http://${address}`, address, stop };
}
