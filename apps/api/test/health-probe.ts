import { Agent, get } from 'node:http';
import request from 'supertest';
import type { TestApp } from './app.js';

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

/** The same against a server at `url` (another process): one kept-alive connection, as a load balancer's probe. */
export async function healthLatenciesAt(url: string, done: Promise<unknown>, everyMs = 20): Promise<number[]> {
  let finished = false;
  void done.finally(() => (finished = true));
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  try {
    while (!finished) {
      const asked = performance.now();
      const status = await new Promise<number>((resolve, reject) => {
        get(`${url}/api/health`, { agent }, (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        }).on('error', reject);
      });
      if (status !== 200) throw new Error(`GET /api/health answered ${status}`);
      const ms = performance.now() - asked;
      latencies.push(ms);
      await sleep(Math.max(0, everyMs - ms));
    }
  } finally {
    agent.destroy();
  }
  return latencies.sort((a, b) => a - b);
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
