/**
 * The in-process runner: N calls in flight at a time in this process, each started as soon as
 * one finishes, for warm-up plus measurement without a pause between them (so that the
 * measurement starts with the queue already full). It counts the calls that finish inside the
 * measured window, as the HTTP runner counts answers; the ones still running at the end are
 * awaited, not counted.
 */
import type { Sample } from './stats.js';

export async function runClosedLoop(call: () => Promise<unknown>, concurrency: number, seconds: number, warmupSeconds = 0): Promise<Sample> {
  const measureFrom = performance.now() + warmupSeconds * 1000;
  const deadline = measureFrom + seconds * 1000;
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
      if (ended < measureFrom) continue;
      latenciesMs.push(ended - begun);
      if (!ok) failures++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  if (firstError) console.error(`  in-process call failed: ${firstError instanceof Error ? firstError.message : String(firstError)}`);
  return { latenciesMs, seconds, non200: failures, errors: 0 };
}
