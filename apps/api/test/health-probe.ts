import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import type { TestApp } from './app.js';

const PROBER = fileURLToPath(new URL('./health-prober.js', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `GET /api/health` one at a time every `everyMs` until `done` settles: the latencies, sorted. */
export async function healthLatencies(t: TestApp, done: Promise<unknown>, everyMs = 20): Promise<number[]> {
  let finished = false;
  void done.finally(() => (finished = true));
  const latencies: number[] = [];
  while (!finished) {
    const asked = performance.now();
    await request(t.http).get('/api/health').expect(200);
    const ms = performance.now() - asked;
    latencies.push(ms);
    await sleep(Math.max(0, everyMs - ms));
  }
  return latencies.sort((a, b) => a - b);
}

/**
 * The same against a server at `url` (another process), asked from a process of its own on one
 * kept-alive connection, as a load balancer's probe: the test process is busy writing the load's
 * bodies, and its event loop's delays are not the server's.
 */
export async function healthLatenciesAt(url: string, done: Promise<unknown>, everyMs = 20): Promise<number[]> {
  const prober = spawn(process.execPath, [PROBER, `${url}/api/health`, String(everyMs)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  prober.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => prober.once('exit', resolve));
  await done.catch(() => undefined);
  prober.stdin.end();
  const code = await exited;
  if (code !== 0) throw new Error(`the health prober exited with ${code}: ${output}`);
  return (JSON.parse(output) as number[]).sort((a, b) => a - b);
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
