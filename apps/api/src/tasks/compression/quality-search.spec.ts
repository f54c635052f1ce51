import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { searchQuality, type Measurement } from './quality-search.js';

/** A smooth encoder: SSIM approaches 1 and bytes grow ~3% per quality step. */
const smooth = (q: number): Measurement => ({ ssim: 1 - 0.4 * Math.exp(-0.045 * q), bytes: Math.round(1000 * Math.exp(0.03 * q)) });

/** The same with a wobble, as real encoders have (AVIF quantiser steps, JPEG tables). */
const wobbly = (q: number): Measurement => {
  const base = smooth(q);
  return { ssim: base.ssim + 0.002 * Math.sin(q * 1.7), bytes: Math.round(base.bytes * (1 + 0.03 * Math.cos(q * 2.3))) };
};

function counted(curve: (q: number) => Measurement): { evaluate: (q: number) => Promise<Measurement>; calls: number[] } {
  const calls: number[] = [];
  return { calls, evaluate: async (q) => (calls.push(q), curve(q)) };
}

/** The lowest integer quality that passes on a monotone curve. */
function threshold(curve: (q: number) => Measurement, target: number): number {
  for (let q = 1; q <= 100; q++) if (curve(q).ssim >= target) return q;
  return Infinity;
}

describe('searchQuality', () => {
  it('finds the lowest passing quality of a monotone curve in few probes', async () => {
    for (const [target, guess] of [[0.97, 60], [0.985, 80], [0.95, 90], [0.99, 20]] as const) {
      const { evaluate, calls } = counted(smooth);
      const { best } = await searchQuality(evaluate, { target, min: 1, max: 100, guess });
      assert.equal(best?.quality, threshold(smooth, target), `target ${target} from ${guess}`);
      assert.ok(calls.length <= 5, `target ${target} from ${guess}: ${calls.length} probes`);
    }
  });

  it('returns the smallest passing probe on a non-monotone curve', async () => {
    const { evaluate, calls } = counted(wobbly);
    const { best, probes } = await searchQuality(evaluate, { target: 0.98, min: 1, max: 100, guess: 70 });
    assert.ok(best && best.ssim >= 0.98);
    const passing = probes.filter((p) => p.ssim >= 0.98);
    assert.equal(best.bytes, Math.min(...passing.map((p) => p.bytes)));
    assert.ok(Math.abs(best.quality - threshold(wobbly, 0.98)) <= 2, `quality ${best.quality}`);
    assert.ok(calls.length <= 6, `${calls.length} probes`);
  });

  it('reports none when even the highest quality fails', async () => {
    const { evaluate, calls } = counted(smooth);
    const { best, probes } = await searchQuality(evaluate, { target: 0.9999, min: 1, max: 100, guess: 80 });
    assert.equal(best, null);
    assert.ok(probes.some((p) => p.quality === 100));
    assert.ok(calls.length <= 4, `${calls.length} probes`);
  });

  it('stops once a failing probe is bigger than the bytes to beat', async () => {
    const { evaluate, calls } = counted(smooth);
    const { best } = await searchQuality(evaluate, {
      target: 0.985,
      min: 1,
      max: 100,
      guess: 70,
      bytesToBeat: () => 5000,
    });
    assert.equal(best, null);
    assert.equal(calls.length, 1);
  });

  it('probes two qualities per round in parallel and reaches the same answer', async () => {
    const { evaluate, calls } = counted(smooth);
    const { best } = await searchQuality(evaluate, { target: 0.985, min: 1, max: 100, guess: 75, inParallel: true });
    assert.equal(best?.quality, threshold(smooth, 0.985));
    assert.ok(calls.length <= 6, `${calls.length} probes`);
    assert.equal(new Set(calls).size, calls.length, 'no quality probed twice');
  });

  it('probes only one quality per encoder setting and still finds the lowest passing setting', async () => {
    // Like AVIF: three qualities share each setting and encode identically.
    const setting = (q: number): number => Math.floor(q / 3);
    const stepped = (q: number): Measurement => smooth(setting(q) * 3);
    for (const inParallel of [false, true]) {
      const { evaluate, calls } = counted(stepped);
      const { best } = await searchQuality(evaluate, { target: 0.985, min: 1, max: 100, guess: 75, inParallel, setting });
      assert.equal(setting(best!.quality), setting(threshold(stepped, 0.985)));
      assert.equal(new Set(calls.map(setting)).size, calls.length, `one probe per setting: ${calls.join(',')}`);
    }
  });

  it('starts a parallel search either side of the guess by the expected error', async () => {
    const { evaluate, calls } = counted(smooth);
    await searchQuality(evaluate, { target: 0.985, min: 1, max: 100, guess: 80, guessError: 2, inParallel: true });
    assert.deepEqual(calls.slice(0, 2), [78, 82]);
  });

  it('never leaves the bounds', async () => {
    const { evaluate, calls } = counted(smooth);
    await searchQuality(evaluate, { target: 0.9, min: 30, max: 60, guess: 5 });
    assert.ok(calls.every((q) => q >= 30 && q <= 60), calls.join(','));
  });
});
