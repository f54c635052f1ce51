import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { percentile, summarize } from './stats.js';

describe('bench percentiles', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100

  it('takes the nearest rank', () => {
    assert.equal(percentile(hundred, 50), 50);
    assert.equal(percentile(hundred, 95), 95);
    assert.equal(percentile(hundred, 99), 99);
    assert.equal(percentile(hundred, 100), 100);
    assert.equal(percentile(hundred, 0), 1);
    assert.equal(percentile([10, 20, 30], 50), 20);
    assert.equal(percentile([10, 20, 30, 40], 50), 20);
    assert.equal(percentile([10, 20, 30, 40], 51), 30);
  });

  it('is NaN for no values and refuses a percentile outside 0–100', () => {
    assert.ok(Number.isNaN(percentile([], 50)));
    assert.throws(() => percentile([1], 101), RangeError);
    assert.throws(() => percentile([1], -1), RangeError);
  });

  it('summarizes an unsorted sample, counting only 200s in the throughput', () => {
    const stats = summarize({ latenciesMs: [5, 1, 4, 2, 3], seconds: 2, non200: 1, errors: 2 });
    assert.deepEqual(stats, { requests: 5, requestsPerSecond: 2, p50: 3, p95: 5, p99: 5, non200: 1, errors: 2 });
  });

  it('gives zero throughput for an empty cell', () => {
    const stats = summarize({ latenciesMs: [], seconds: 0, non200: 0, errors: 0 });
    assert.equal(stats.requestsPerSecond, 0);
    assert.ok(Number.isNaN(stats.p50));
  });
});
