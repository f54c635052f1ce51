/**
 * Finds the lowest encoder quality whose SSIM reaches a target, in few encodes.
 *
 * SSIM rises with quality, and −log(1 − SSIM) rises almost linearly, so the next quality to try is
 * read off that line: between the two probes that bracket the target (regula falsi), or from one
 * probe with the slope measured so far. Real curves wobble a little, so the answer is the
 * smallest passing probe by bytes, not the lowest passing quality.
 */

/** What one encode at one quality measured. Implementations may carry more (the encoded bytes). */
export interface Measurement {
  bytes: number;
  ssim: number;
}

export type Probe<M extends Measurement> = M & { quality: number };

export interface SearchOptions {
  /** Lowest SSIM a result may have. */
  target: number;
  /** Quality bounds, inclusive, integers. */
  min: number;
  max: number;
  /** First quality to try: a good guess saves probes. */
  guess: number;
  /** Stop after this many encodes (default 6, or 10 when probing in parallel). */
  maxProbes?: number;
  /**
   * Bytes that a result must beat to be of any use (another format's best, the input's size). A
   * failing probe this big proves that every passing quality, being higher, is bigger still; and
   * the search also gives up when the bytes it predicts at the target are far beyond it.
   */
  bytesToBeat?: () => number;
  /**
   * Probe two qualities at a time (for single-threaded encoders on a multi-core machine): more
   * encodes in all, but fewer rounds of waiting.
   */
  inParallel?: boolean;
  /** Assumed d(−log(1 − SSIM))/d(quality) before two probes measure it (default 0.04). */
  slope?: number;
}

export interface SearchResult<M extends Measurement> {
  /** The passing probe with the fewest bytes, or null when no probe passed. */
  best: Probe<M> | null;
  /** Every probe, in the order made. */
  probes: Probe<M>[];
}

const DEFAULT_MAX_PROBES = 6;
const DEFAULT_MAX_PROBES_IN_PARALLEL = 10;
const DEFAULT_SLOPE = 0.04;
/** Measured slopes outside this range are noise; fall back to the default. */
const SANE_SLOPE = { min: 0.005, max: 0.3 };
/** How far apart the two first probes of a parallel search are, around the guess. */
const PAIR_SPREAD = 4;
/** Bytes grow ~3% per quality step in the 50–90 range of every encoder here. */
const TYPICAL_BYTES_SLOPE = 0.03;
/** A prediction this far above the bytes to beat is not worth checking. */
const HOPELESS = 1.3;
/** One jump from a single-sided guess moves at most this far. */
const MAX_STEP = 30;

export async function searchQuality<M extends Measurement>(
  evaluate: (quality: number) => Promise<M>,
  options: SearchOptions,
): Promise<SearchResult<M>> {
  const { target, min, max } = options;
  const maxProbes = options.maxProbes ?? (options.inParallel ? DEFAULT_MAX_PROBES_IN_PARALLEL : DEFAULT_MAX_PROBES);
  const probes: Probe<M>[] = [];
  const guess = clamp(Math.round(options.guess), min, max);
  let round = options.inParallel ? distinct([guess - PAIR_SPREAD, guess + PAIR_SPREAD], min, max) : [guess];

  while (round.length > 0) {
    const measured = await Promise.all(round.map(async (quality) => ({ ...(await evaluate(quality)), quality })));
    probes.push(...measured);
    const next = nextQuality(probes, options);
    if (next === null || probes.length >= maxProbes) break;
    if (options.bytesToBeat && cannotWin(probes, next, options.bytesToBeat(), target)) break;
    round = options.inParallel && probes.length + 1 < maxProbes ? [next, partnerOf(next, probes, options)] : [next];
    round = distinct(round, min, max).filter((q) => !probes.some((p) => p.quality === q));
  }
  return { best: smallestPassing(probes, target), probes };
}

/**
 * The second quality of a parallel round. Inside a bracket, one step below the estimate (which is
 * rounded up, so likely to pass): the pair then often closes the bracket. Outside, a few steps
 * further in the same direction, in case the extrapolation fell short.
 */
function partnerOf<M extends Measurement>(next: number, probes: Probe<M>[], options: SearchOptions): number {
  const failing = highest(probes.filter((p) => p.ssim < options.target));
  const passing = lowest(probes.filter((p) => p.ssim >= options.target));
  if (failing && passing) return next - 1 > failing.quality ? next - 1 : next + 1;
  return passing ? next - PAIR_SPREAD : next + PAIR_SPREAD;
}

function distinct(qualities: number[], min: number, max: number): number[] {
  return [...new Set(qualities.map((q) => clamp(q, min, max)))];
}

/** The quality to try next, or null when the search is done. */
function nextQuality<M extends Measurement>(probes: Probe<M>[], options: SearchOptions): number | null {
  const { target, min, max } = options;
  const failing = highest(probes.filter((p) => p.ssim < target));
  const passing = lowest(probes.filter((p) => p.ssim >= target));
  const low = failing ? failing.quality + 1 : min; // lowest quality still worth trying
  const high = passing ? passing.quality - 1 : max; // highest quality still worth trying
  if (low > high) return null;

  const goal = distortion(target);
  let guess: number;
  if (failing && passing) {
    guess = interpolate(failing, passing, goal);
  } else {
    const last = (failing ?? passing)!;
    const step = (goal - distortion(last.ssim)) / measuredSlope(probes, options);
    guess = last.quality + clamp(step, -MAX_STEP, MAX_STEP);
  }
  // Round towards passing: a probe just above the target usually ends the search.
  return clamp(Math.ceil(guess - 1e-9), low, high);
}

/**
 * True when the format cannot beat `toBeat`: proven by a failing probe at least that big, or
 * predicted, with a wide margin, from bytes growing exponentially with quality.
 */
function cannotWin<M extends Measurement>(probes: Probe<M>[], next: number, toBeat: number, target: number): boolean {
  const failing = highest(probes.filter((p) => p.ssim < target));
  if (failing && failing.bytes >= toBeat) return true;
  const nearest = probes.reduce((a, p) => (Math.abs(p.quality - next) < Math.abs(a.quality - next) ? p : a));
  const predicted = nearest.bytes * Math.exp(bytesSlope(probes) * (next - nearest.quality));
  return predicted >= toBeat * HOPELESS;
}

/** d(log bytes)/d(quality) between the two probes furthest apart, or a typical value. */
function bytesSlope(probes: Probe<Measurement>[]): number {
  const first = lowest(probes);
  const last = highest(probes);
  if (!first || !last || last.quality - first.quality < 2) return TYPICAL_BYTES_SLOPE;
  const slope = Math.log(last.bytes / first.bytes) / (last.quality - first.quality);
  return slope > 0 ? slope : TYPICAL_BYTES_SLOPE;
}

/** −log(1 − SSIM), nearly linear in quality; capped so that SSIM = 1 stays finite. */
function distortion(ssim: number): number {
  return -Math.log(Math.max(1 - ssim, 1e-6));
}

function interpolate(a: Probe<Measurement>, b: Probe<Measurement>, goal: number): number {
  const da = distortion(a.ssim);
  const db = distortion(b.ssim);
  if (db === da) return (a.quality + b.quality) / 2;
  return a.quality + ((goal - da) * (b.quality - a.quality)) / (db - da);
}

/** The slope between the two probes furthest apart in quality, when it looks like a real one. */
function measuredSlope(probes: Probe<Measurement>[], options: SearchOptions): number {
  const fallback = options.slope ?? DEFAULT_SLOPE;
  const first = lowest(probes);
  const last = highest(probes);
  if (!first || !last || first.quality === last.quality) return fallback;
  const slope = (distortion(last.ssim) - distortion(first.ssim)) / (last.quality - first.quality);
  return slope >= SANE_SLOPE.min && slope <= SANE_SLOPE.max ? slope : fallback;
}

function smallestPassing<M extends Measurement>(probes: Probe<M>[], target: number): Probe<M> | null {
  let best: Probe<M> | null = null;
  for (const p of probes) if (p.ssim >= target && (!best || p.bytes < best.bytes)) best = p;
  return best;
}

function highest<P extends { quality: number }>(probes: P[]): P | undefined {
  return probes.reduce<P | undefined>((a, p) => (!a || p.quality > a.quality ? p : a), undefined);
}

function lowest<P extends { quality: number }>(probes: P[]): P | undefined {
  return probes.reduce<P | undefined>((a, p) => (!a || p.quality < a.quality ? p : a), undefined);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
