/**
 * The in-process runner: N calls in flight at a time in this process, each started as soon as
 * one finishes, for a fixed time. Only calls that finished in time count (as autocannon counts
 * only the answers it got within its duration); the ones still running are awaited, not counted.
 */
import type { Sample } from './stats.js';

export async function runClosedLoop(call: () => Promise<unknown>, concurrency: number, seconds: number): Promise<Sample> {
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const latenciesMs: number[] = [];
  let failures = 0;
  let firstError: unknown = null;
  const lane = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const begun = performance.now();
      let ok = true;
      try {
        await call();
      } catch (error) {
        ok = false;
        firstError ??= error;
      }
      const ended = performance.now();
      if (ended > deadline) break;
      latenciesMs.push(ended - begun);
      if (!ok) failures++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  if (firstError) console.error(`  in-process call failed: ${firstError instanceof Error ? firstError.message : String(firstError)}`);
  return { latenciesMs, seconds, non200: failures, errors: 0 };
}
