import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countsIncrease, histogramQuantile, increase, perMinute, zeroCounts } from './status-math.js';

const BOUNDS = [0.1, 0.5, 1];

describe('status maths', () => {
  it('histogramQuantile interpolates inside the bucket the rank falls in, like Prometheus', () => {
    // 10 observations: 4 ≤ 0.1, 4 in (0.1, 0.5], 2 in (0.5, 1].
    const histogram = { buckets: [4, 8, 10, 10], sum: 3 };
    assert.equal(histogramQuantile(0.2, BOUNDS, histogram), 0.05, 'rank 2 of 4 in [0, 0.1]');
    assert.ok(Math.abs(histogramQuantile(0.5, BOUNDS, histogram)! - 0.2) < 1e-12, 'rank 5: one of 4 into (0.1, 0.5]');
    assert.ok(Math.abs(histogramQuantile(0.95, BOUNDS, histogram)! - 0.875) < 1e-12, 'rank 9.5: 1.5 of 2 into (0.5, 1]');
    assert.equal(histogramQuantile(1, BOUNDS, histogram), 1);
  });

  it('histogramQuantile reports the highest finite bound for a rank in +Inf, and null without observations', () => {
    assert.equal(histogramQuantile(0.95, BOUNDS, { buckets: [0, 0, 1, 20], sum: 400 }), 1);
    assert.equal(histogramQuantile(0.5, BOUNDS, { buckets: [0, 0, 0, 0], sum: 0 }), null);
  });

  it('a quantile of a difference of snapshots sees only what happened between them', () => {
    const older = { ...zeroCounts(BOUNDS), requests: 100, duration: { buckets: [100, 100, 100, 100], sum: 5 } };
    // Since then: 4 slow requests, all in (0.5, 1].
    const newer = { ...older, requests: 104, duration: { buckets: [100, 100, 104, 104], sum: 8 } };
    const between = countsIncrease(newer, older);
    assert.equal(between.requests, 4);
    assert.deepEqual(between.duration.buckets, [0, 0, 4, 4]);
    assert.equal(histogramQuantile(0.5, BOUNDS, between.duration), 0.75);
    assert.ok(histogramQuantile(0.5, BOUNDS, newer.duration)! < 0.1, "while the totals say fast");
  });

  it('increase counts from zero after a counter reset', () => {
    assert.equal(increase(7, 3), 4);
    assert.equal(increase(2, 30), 2);
  });

  it('perMinute scales a count over a minute or more, and does not scale up a shorter span', () => {
    assert.equal(perMinute(6, 60), 6);
    assert.equal(perMinute(14, 70), 12);
    assert.equal(perMinute(3, 120), 1.5);
    assert.equal(perMinute(3, 10), 3, 'ten seconds after start-up, three requests in the last minute');
    assert.equal(perMinute(5, 0), 0);
  });
});
