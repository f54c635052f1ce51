/**
 * The arithmetic of the status page, on snapshots of prom-client's counters and histograms:
 * what happened between two snapshots is their difference, a rate is that over the time between
 * them, and a quantile is read off the difference of the cumulative bucket counts.
 */

/** A histogram's state at one time: cumulative counts per upper bound (the last, +Inf, is the total), and the sum. */
export interface HistogramState {
  /** Cumulative counts, one per bound of `bounds`, then one for +Inf. */
  buckets: number[];
  sum: number;
}

/** What one service (a model, the compressor) had counted at one time. */
export interface ServiceCounts {
  requests: number;
  clientErrors: number;
  serverErrors: number;
  duration: HistogramState;
  batches: { count: number; sum: number };
}

export const zeroHistogram = (bounds: readonly number[]): HistogramState => ({ buckets: new Array<number>(bounds.length + 1).fill(0), sum: 0 });

export const zeroCounts = (bounds: readonly number[]): ServiceCounts => ({
  requests: 0,
  clientErrors: 0,
  serverErrors: 0,
  duration: zeroHistogram(bounds),
  batches: { count: 0, sum: 0 },
});

/** `newer − older`; a counter that went down (reset) counts from zero, as Prometheus's `increase` does. */
export function increase(newer: number, older: number): number {
  return newer >= older ? newer - older : newer;
}

export function histogramIncrease(newer: HistogramState, older: HistogramState): HistogramState {
  return { buckets: newer.buckets.map((count, i) => increase(count, older.buckets[i] ?? 0)), sum: increase(newer.sum, older.sum) };
}

export function countsIncrease(newer: ServiceCounts, older: ServiceCounts): ServiceCounts {
  return {
    requests: increase(newer.requests, older.requests),
    clientErrors: increase(newer.clientErrors, older.clientErrors),
    serverErrors: increase(newer.serverErrors, older.serverErrors),
    duration: histogramIncrease(newer.duration, older.duration),
    batches: { count: increase(newer.batches.count, older.batches.count), sum: increase(newer.batches.sum, older.batches.sum) },
  };
}

/**
 * `count` events over `seconds`, per minute. Over less than a minute (the server has just
 * started, and counted from zero) the count is what the last minute saw: it is not scaled up.
 */
export function perMinute(count: number, seconds: number): number {
  return seconds <= 0 ? 0 : (count * 60) / Math.max(60, seconds);
}

/**
 * The `q` quantile (0–1) of the observations in `histogram`, interpolated linearly inside the
 * bucket it falls in, like Prometheus's `histogram_quantile`: the first bucket starts at 0, and
 * one that falls in +Inf is reported as the highest finite bound. Null with no observations.
 */
export function histogramQuantile(q: number, bounds: readonly number[], histogram: HistogramState): number | null {
  const { buckets } = histogram;
  const total = buckets[buckets.length - 1] ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  let index = buckets.findIndex((count) => count >= rank);
  if (index < 0) index = buckets.length - 1;
  if (index >= bounds.length) return bounds[bounds.length - 1] ?? null;
  const below = index === 0 ? 0 : buckets[index - 1]!;
  const lower = index === 0 ? 0 : bounds[index - 1]!;
  const upper = bounds[index]!;
  const inBucket = buckets[index]! - below;
  return inBucket === 0 ? upper : lower + ((upper - lower) * (rank - below)) / inBucket;
}
