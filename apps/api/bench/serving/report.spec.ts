import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flag, formatMs, formatRate, formatRatio, formatReport, targetLines, verdict } from './report.js';
import { sampleRun } from './sample-run.js';

describe('bench report', () => {
  it('formats milliseconds, rates and ratios', () => {
    assert.equal(formatMs(3.14159), '3.1');
    assert.equal(formatMs(123.6), '124');
    assert.equal(formatMs(Number.NaN), '–');
    assert.equal(formatRate(4.567), '4.57');
    assert.equal(formatRate(456.78), '456.8');
    assert.equal(formatRatio(0.9512), '0.95×');
    assert.equal(formatRatio(null), '–');
  });

  it('judges a ratio against its target', () => {
    assert.equal(verdict(0.9, 0.9), 'PASS');
    assert.equal(verdict(0.89, 0.9), 'MISS');
    assert.equal(verdict(null, 0.9), 'n/a');
  });

  it('flags a cell with failed requests or with no answer at all', () => {
    const base = sampleRun().cells[0]!;
    assert.equal(flag(base), '');
    assert.equal(flag({ ...base, errors: 1 }), '<- FAILED REQUESTS');
    assert.equal(flag({ ...base, non200: 3 }), '<- FAILED REQUESTS');
    assert.equal(flag({ ...base, requests: 0, requestsPerSecond: 0 }), '<- NO ANSWER IN TIME (raise BENCH_SECONDS)');
  });

  it('puts the ratios and the targets under each table', () => {
    const run = sampleRun();
    assert.deepEqual(targetLines(run, run.scenarios[0]!), [
      'HTTP ÷ in-process at concurrency 8: 0.95× (target ≥ 0.9×: PASS)',
      'nginx ÷ in-process at concurrency 8: 0.80×',
      'batching on ÷ off (HTTP) at concurrency 16: 1.20× (target ≥ 1.5×: MISS)',
    ]);
    assert.deepEqual(targetLines(run, run.scenarios[1]!), [
      'HTTP ÷ in-process at concurrency 8: 0.80× (target ≥ 0.9×: MISS)',
      'nginx ÷ in-process at concurrency 8: –',
      'batching on ÷ off: n/a (maxBatchSize 1: this model\'s inputs do not batch)',
    ]);
  });

  it('prints one table per scenario, rows by path then concurrency, failures flagged', () => {
    const text = formatReport(sampleRun());
    const lines = text.split('\n');
    const title = lines.indexOf('text-direction: one line');
    assert.ok(title >= 0);
    assert.match(lines[title + 1]!, /^path\s+batching\s+conc\s+req\/s\s+p50 ms\s+p95 ms\s+p99 ms\s+non-200\s+errors\s+÷ in-process$/);
    assert.match(lines[title + 2]!, /^in-process\s+on\s+8\s+100\.0\s+10\s+20\s+30\s+0\s+0$/);
    assert.match(lines[title + 3]!, /^http\s+on\s+8\s+95\.0 .* 0\.95×$/);
    assert.match(lines[title + 4]!, /^http\s+on\s+16\s+120\.0 .*–$/, 'no in-process cell at 16: no ratio');
    assert.match(lines[title + 6]!, /^http\s+off\s+16\s+100\.0 .*0$/, 'batching off has no in-process ratio');
    const failed = lines.find((line) => line.startsWith('http') && line.includes('8.00'));
    assert.match(failed!, /2\s+0\s+0\.80×\s+<- FAILED REQUESTS$/);
  });
});
