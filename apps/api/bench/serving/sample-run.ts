/** A made-up run for the specs of the report and the chart (no timings are measured in tests). */
import type { BenchRun, Cell } from './results.js';

export function cell(partial: Partial<Cell> & Pick<Cell, 'scenario' | 'path' | 'concurrency' | 'requestsPerSecond'>): Cell {
  return { batching: 'on', requests: 100, p50: 10, p95: 20, p99: 30, non200: 0, errors: 0, ...partial };
}

export function sampleRun(): BenchRun {
  return {
    startedAt: '2026-12-07T10:00:00.000Z',
    machine: { cores: 2, node: 'v20', loadAverage: [1, 1, 1] },
    settings: { seconds: 3, warmupSeconds: 1, concurrency: { inProcess: [8, 16], http: [8, 16], batching: 16 } },
    scenarios: [
      { name: 'text-direction', request: 'one line', maxBatchSize: 16 },
      { name: 'compress', request: 'a <photo> & more', maxBatchSize: 1 },
    ],
    cells: [
      cell({ scenario: 'text-direction', path: 'in-process', concurrency: 8, requestsPerSecond: 100 }),
      cell({ scenario: 'text-direction', path: 'http', concurrency: 8, requestsPerSecond: 95 }),
      cell({ scenario: 'text-direction', path: 'nginx', concurrency: 8, requestsPerSecond: 80 }),
      cell({ scenario: 'text-direction', path: 'http', concurrency: 16, requestsPerSecond: 120 }),
      cell({ scenario: 'text-direction', path: 'http', concurrency: 16, requestsPerSecond: 100, batching: 'off' }),
      cell({ scenario: 'compress', path: 'in-process', concurrency: 8, requestsPerSecond: 10 }),
      cell({ scenario: 'compress', path: 'http', concurrency: 8, requestsPerSecond: 8, non200: 2 }),
    ],
    notes: [],
  };
}
