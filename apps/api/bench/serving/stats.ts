/**
 * The figures of one benchmark cell: throughput, latency percentiles and how many answers were
 * not a 200, computed here from every request's latency (autocannon's own summary has no p95).
 */

/** What one cell measured: requests completed in `seconds`, each one's latency, and the failures. */
export interface Sample {
  /** Latency of every completed request, ms, in completion order. */
  latenciesMs: number[];
  /** Wall-clock seconds the cell ran for. */
  seconds: number;
  /** Answers with a status other than 200 (for in-process: rejected calls). */
  non200: number;
  /** Requests that got no answer at all (connection errors, timeouts). */
  errors: number;
}

export interface CellStats {
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  non200: number;
  errors: number;
}

/**
 * The `p`-th percentile (0–100) of ascending `sorted` values, nearest rank: the smallest value
 * with at least p % of the values at or below it. NaN for no values.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (p < 0 || p > 100) throw new RangeError(`percentile ${p} is not within 0–100`);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** The cell's figures; requests per second count only the 200s. */
export function summarize(sample: Sample): CellStats {
  const sorted = [...sample.latenciesMs].sort((a, b) => a - b);
  const ok = Math.max(0, sample.latenciesMs.length - sample.non200);
  return {
    requests: sample.latenciesMs.length,
    requestsPerSecond: sample.seconds > 0 ? ok / sample.seconds : 0,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    non200: sample.non200,
    errors: sample.errors,
  };
}
