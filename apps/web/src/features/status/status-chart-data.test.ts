import { describe, expect, it } from 'vitest';
import { chartColumns, chartsOf, latest, peak } from './status-chart-data';
import { busyAnswer, point, service } from './status-fixtures';

describe('status chart data', () => {
  const series = [point(100, { requestsPerMinute: 2, p50Ms: 10, p95Ms: 40 }), point(110, { requestsPerMinute: 5 }), point(115, { requestsPerMinute: 4, serverErrorsPerMinute: 1, p50Ms: 12, p95Ms: 90, averageBatchSize: 2 })];

  it('maps a series to uPlot columns: seconds, then one line per figure, gaps as null', () => {
    expect(chartColumns(series, 'requests')).toEqual([[100, 110, 115], [2, 5, 4]]);
    expect(chartColumns(series, 'errors')).toEqual([[100, 110, 115], [0, 0, 0], [0, 0, 1]]);
    expect(chartColumns(series, 'latency')).toEqual([[100, 110, 115], [10, null, 12], [40, null, 90]]);
    expect(chartColumns(series, 'batch')).toEqual([[100, 110, 115], [null, null, 2]]);
    expect(chartColumns([], 'requests')).toEqual([[], []]);
  });

  it('reads the latest figure and the peak over the window', () => {
    expect(latest(series, 'requestsPerMinute')).toBe(4);
    expect(latest([], 'p50Ms')).toBeNull();
    expect(peak(series, ['requestsPerMinute'])).toBe(5);
    expect(peak(series, ['p50Ms', 'p95Ms'])).toBe(90);
    expect(peak([point(1)], ['p50Ms'])).toBeNull();
  });

  it('gives the compressor no batch-size chart', () => {
    expect(chartsOf(service())).toEqual(['requests', 'errors', 'latency', 'batch']);
    expect(chartsOf(busyAnswer.services[1]!)).toEqual(['requests', 'errors', 'latency']);
  });
});
