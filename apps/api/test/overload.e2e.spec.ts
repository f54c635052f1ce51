import type { ApiError } from '@dlserve/shared';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { percentile } from './health-probe.js';
import type { ServerProcess } from './server-process.js';
import { BURST_MAX_QUEUE, readBurstPhotos, startSlowModelServer, uploadBurst, type Burst } from './upload-burst.js';

const CLIENTS = 200;
/** RSS the server may reach under the burst (see the README's figures for what it reaches). */
const RSS_BOUND = 1536 * 1024 * 1024;
const MiB = 1024 * 1024;

/**
 * The built server in its own process, so that the clients' work (200 bodies written at once)
 * does not count as the server's: its health answers, CPU and RSS are its own. How fast health
 * answers under the burst is a figure, printed here and by `bench:overload`, not a bound.
 */
describe('overload: 200 concurrent uploads to a slow model', () => {
  let root: string;
  let server: ServerProcess;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'dlserve-overload-'));
    server = await startSlowModelServer(root, 'esrgan-slim-x2');
  });
  after(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    await rm(root, { recursive: true, force: true });
  });

  it('answers every request 200 or 503 busy (Retry-After), resets none, keeps RSS bounded and health answering throughout', async (context) => {
    const files = await readBurstPhotos();
    const baseline = await server.rss();
    const bursts: Burst[] = [];
    // Two bursts: the first meets a cold process (V8 compiles the request path as it goes), the
    // second the server as it is once it has run a while; every answer is checked in both.
    for (const round of ['cold', 'warm']) {
      const burst = await uploadBurst(server, '/api/models/esrgan-slim-x2', files, CLIENTS);
      bursts.push(burst);
      const { counts, latencies, peakRss, cpu } = burst;
      context.diagnostic(
        `burst ${bursts.length} (${round}): ${CLIENTS} requests in ${burst.seconds.toFixed(1)} s: ${[...counts].map(([status, n]) => `${status} ×${n}`).join(', ')}; ` +
          `server RSS ${(baseline / MiB).toFixed(0)} → peak ${(peakRss / MiB).toFixed(0)} MiB; CPU ${cpu.process} ms, main thread ${cpu.mainThread} ms; ` +
          `health n=${latencies.length} p50 ${percentile(latencies, 50).toFixed(1)} p99 ${percentile(latencies, 99).toFixed(1)} max ${latencies.at(-1)!.toFixed(1)} ms`,
      );
      assert.deepEqual(
        [...counts.keys()].filter((status) => status !== 200 && status !== 503),
        [],
        'only 200 and 503: no other 5xx, no reset connection',
      );
      assert.ok((counts.get(200) ?? 0) >= BURST_MAX_QUEUE, `at least the first ${BURST_MAX_QUEUE} were served`);
      for (const outcome of burst.outcomes.filter((o) => o.status === 503)) {
        assert.equal((JSON.parse(outcome.body) as ApiError).error, 'busy');
        assert.equal(outcome.retryAfter, '5');
      }
      assert.ok(peakRss < RSS_BOUND, `peak RSS ${(peakRss / MiB).toFixed(0)} MiB under ${RSS_BOUND / MiB} MiB`);
      // The prober fails the burst on any answer but 200.
      assert.ok(latencies.length >= 10, `health was asked and answered 200 throughout (${latencies.length} times)`);
    }
    const served = bursts.reduce((sum, burst) => sum + (burst.counts.get(200) ?? 0), 0);
    const onDisk = await readdir(server.assetsDir);
    assert.equal(onDisk.filter((name) => !name.startsWith('.')).length, served, 'one result per 200, none for a 503');
    assert.deepEqual(onDisk.filter((name) => name.startsWith('.')), [], 'no temporary file left');
  });
});
