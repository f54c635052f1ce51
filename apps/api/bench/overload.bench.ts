/**
 * The overload burst as figures (`pnpm bench:overload`): the built server in its own process, as
 * in production, takes BENCH_CLIENTS (200) concurrent uploads of real photos to a slow model
 * (BENCH_MODEL, esrgan-slim-x2) with MAX_QUEUE 4, BENCH_ROUNDS (3) times, while a prober of its own
 * asks `GET /api/health` every 20 ms. Prints, per burst, the answers, the health latency
 * percentiles (the target is every one within 100 ms), the server's CPU and peak RSS. Not a test:
 * it prints numbers and asserts nothing (the answers themselves are checked by overload.e2e.spec).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile } from '../test/health-probe.js';
import { BURST_MAX_QUEUE, readBurstPhotos, startSlowModelServer, uploadBurst } from '../test/upload-burst.js';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MODEL = process.env.BENCH_MODEL ?? 'esrgan-slim-x2';
const MiB = 1024 * 1024;

const root = await mkdtemp(join(tmpdir(), 'dlserve-bench-overload-'));
const server = await startSlowModelServer(root, MODEL);
try {
  const files = await readBurstPhotos();
  const baseline = await server.rss();
  console.log(`${CLIENTS} concurrent uploads to ${MODEL} (MAX_QUEUE ${BURST_MAX_QUEUE}), ${ROUNDS} bursts; server RSS at rest ${(baseline / MiB).toFixed(0)} MiB\n`);
  console.log('| burst | seconds | answers | health n | p50 ms | p95 ms | p99 ms | worst ms | CPU s (main thread) | peak RSS MiB |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (let round = 1; round <= ROUNDS; round++) {
    const { counts, latencies, seconds, cpu, peakRss } = await uploadBurst(server, `/api/models/${MODEL}`, files, CLIENTS);
    const answers = [...counts].map(([status, n]) => `${status} ×${n}`).join(', ');
    const at = (p: number) => percentile(latencies, p).toFixed(1);
    console.log(
      `| ${round === 1 ? '1 (cold)' : round} | ${seconds.toFixed(1)} | ${answers} | ${latencies.length} | ${at(50)} | ${at(95)} | ${at(99)} | ${latencies.at(-1)!.toFixed(1)} | ` +
        `${(cpu.process / 1000).toFixed(1)} (${(cpu.mainThread / 1000).toFixed(2)}) | ${(peakRss / MiB).toFixed(0)} |`,
    );
  }
} finally {
  server.child.kill('SIGTERM');
  await server.exited;
  await rm(root, { recursive: true, force: true });
}
