/** The raw figures of one `pnpm bench` run, as written to bench-results/serving-<time>.json. */
import type { CellStats } from './stats.js';

/** How a request reached the model: the app's own pipeline in this process, the API over HTTP, nginx in front of it. */
export const PATHS = ['in-process', 'http', 'nginx'] as const;
export type RequestPath = (typeof PATHS)[number];

export interface Cell extends CellStats {
  scenario: string;
  path: RequestPath;
  concurrency: number;
  /** 'off': the second server, whose manifests say `scheduler.maxBatchSize` 1. */
  batching: 'on' | 'off';
  /** The machine's 1-minute load average when the cell ended: how busy the shared machine was. */
  loadAverage1m?: number;
}

export interface ScenarioInfo {
  name: string;
  /** What a request is: endpoint and image. */
  request: string;
  /** The manifest's `scheduler.maxBatchSize` (1 for the compressor). */
  maxBatchSize: number;
}

export interface BenchRun {
  startedAt: string;
  machine: { cores: number; node: string; loadAverage: number[] };
  settings: { seconds: number; warmupSeconds: number; concurrency: { inProcess: number[]; http: number[]; batching: number } };
  scenarios: ScenarioInfo[];
  cells: Cell[];
  /** Scenarios and paths left out, and why. */
  notes: string[];
}

export const HTTP_TARGET = { concurrency: 8, ratio: 0.9 } as const;
export const BATCHING_TARGET = { concurrency: 16, ratio: 1.5 } as const;

export function findCell(run: Pick<BenchRun, 'cells'>, scenario: string, path: RequestPath, concurrency: number, batching: 'on' | 'off' = 'on'): Cell | undefined {
  return run.cells.find((cell) => cell.scenario === scenario && cell.path === path && cell.concurrency === concurrency && cell.batching === batching);
}

/** a ÷ b by throughput; null when either is missing or b measured nothing. */
export function throughputRatio(a: Cell | undefined, b: Cell | undefined): number | null {
  if (!a || !b || b.requestsPerSecond <= 0) return null;
  return a.requestsPerSecond / b.requestsPerSecond;
}
