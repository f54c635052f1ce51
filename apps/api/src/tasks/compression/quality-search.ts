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
  /**
   * How far the guess may be off (default 4): the two first probes of a parallel search sit this
   * far either side of it, so that they usually bracket the answer.
   */
  guessError?: number;
  /**
   * The encoder setting a quality becomes (default: the quality itself). Qualities with the same
   * setting encode identically, so only one of them is ever probed.
   */
  setting?: (quality: number) => number;
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
   * encodes in all, but fewer rounds of waiting. A function is asked before each round, e.g. to
   * go parallel once the other searches sharing the machine have finished.
   */
  inParallel?: boolean | (() => boolean);
  /** Assumed d(−log(1 − SSIM))/d(quality) before two probes measure it (default 0.04). */
  slope?: number;
}

export interface SearchResult<M extends Measurement> {
  /** The passing probe with the fewest bytes, or null when no probe passed. */
  best: Probe<M> | null;
  /** Every probe, in the order made. */
  probes: Probe<M>[];
  /**
   * The quality the search would have tried next, had it not stopped (out of probes, or unable to
   * win): its best estimate of the answer. Null when the search ran to the end.
   */
  nextGuess: number | null;
}

const DEFAULT_MAX_PROBES = 6;
const DEFAULT_MAX_PROBES_IN_PARALLEL = 10;
const DEFAULT_SLOPE = 0.04;
/** Measured slopes outside this range are noise; fall back to the default. */
const SANE_SLOPE = { min: 0.005, max: 0.3 };
/** How far the two first probes of a parallel search are from the guess, by default. */
const PAIR_SPREAD = 4;
/** Bytes grow ~3% per quality step in the 50–90 range of every encoder here. */
const TYPICAL_BYTES_SLOPE = 0.03;
/**
 * A prediction this far above the bytes to beat is not worth checking: 5% plus 2.5% per quality
 * step it extrapolates over (the further, the less sure), at most 30%.
 */
const hopelessRatio = (steps: number): number => Math.min(1.3, 1.05 + 0.025 * steps);
/** An extrapolation this short is trusted like an interpolation (see `partnerOf`). */
const SHORT_JUMP = 4;
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
  const spread = options.guessError ?? PAIR_SPREAD;
  let round = inParallelNow(options) ? [guess - spread, guess + spread] : [guess];
  round = unprobed(round, probes, options);
  let next: number | null = null;

  while (round.length > 0) {
    const measured = await Promise.all(round.map(async (quality) => ({ ...(await evaluate(quality)), quality })));
    probes.push(...measured);
    next = nextQuality(probes, options);
    if (next === null || probes.length >= maxProbes) break;
    if (options.bytesToBeat && cannotWin(probes, next, options.bytesToBeat(), target)) break;
    round = inParallelNow(options) && probes.length + 1 < maxProbes ? [next, partnerOf(next, probes, options)] : [next];
    round = unprobed(round, probes, options);
  }
  return { best: smallestPassing(probes, target), probes, nextGuess: next };
}

function inParallelNow(options: SearchOptions): boolean {
  return typeof options.inParallel === 'function' ? options.inParallel() : options.inParallel === true;
}

/**
 * The second quality of a parallel round. Inside a bracket, or a short step up from failing
 * probes, one step below the estimate (which is rounded up, so likely to pass): the pair then
 * often closes the bracket. A short step down from passing probes, one step above it, between it
 * and them, for the same reason. After a long extrapolation, a few steps further in the same
 * direction, in case it fell short.
 */
function partnerOf<M extends Measurement>(next: number, probes: Probe<M>[], options: SearchOptions): number {
  const failing = highest(probes.filter((p) => p.ssim < options.target));
  const passing = lowest(probes.filter((p) => p.ssim >= options.target));
  const shortJump = Math.abs(next - nearest(probes, next).quality) <= SHORT_JUMP;
  if (passing && !failing && shortJump) {
    const above = neighbour(next, 1, options);
    return above < passing.quality && !sameSetting(above, passing.quality, options) ? above : neighbour(next, -1, options);
  }
  if ((failing && passing) || shortJump) {
    const below = neighbour(next, -1, options);
    const aboveFailing = !failing || (below > failing.quality && !sameSetting(below, failing.quality, options));
    return aboveFailing ? below : neighbour(next, 1, options);
  }
  return passing ? next - PAIR_SPREAD : next + PAIR_SPREAD;
}

/** The nearest quality in one direction that encodes differently from `quality`. */
function neighbour(quality: number, direction: 1 | -1, options: SearchOptions): number {
  let q = quality + direction;
  while (q >= options.min && q <= options.max && sameSetting(q, quality, options)) q += direction;
  return q;
}

function sameSetting(a: number, b: number, options: SearchOptions): boolean {
  return options.setting ? options.setting(a) === options.setting(b) : a === b;
}

/** The qualities of a round within bounds, one per setting, without settings already probed. */
function unprobed<M extends Measurement>(qualities: number[], probes: Probe<M>[], options: SearchOptions): number[] {
  const round: number[] = [];
  for (const quality of qualities) {
    const q = clamp(quality, options.min, options.max);
    const seen = [...probes.map((p) => p.quality), ...round];
    if (!seen.some((s) => sameSetting(s, q, options))) round.push(q);
  }
  return round;
}

/** The quality to try next, or null when the search is done. */
function nextQuality<M extends Measurement>(probes: Probe<M>[], options: SearchOptions): number | null {
  const { target, min, max } = options;
  const failing = highest(probes.filter((p) => p.ssim < target));
  const passing = lowest(probes.filter((p) => p.ssim >= target));
  // The lowest and highest qualities still worth trying: each must encode differently from the
  // probes that bound it.
  const low = failing ? neighbour(failing.quality, 1, options) : min;
  const high = passing ? neighbour(passing.quality, -1, options) : max;
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
  const from = nearest(probes, next);
  const predicted = from.bytes * Math.exp(bytesSlope(probes) * (next - from.quality));
  return predicted >= toBeat * hopelessRatio(Math.abs(next - from.quality));
}

function nearest<P extends { quality: number }>(probes: P[], quality: number): P {
  return probes.reduce((a, p) => (Math.abs(p.quality - quality) < Math.abs(a.quality - quality) ? p : a));
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
