import type { ServiceStatus, StatusPoint } from '@dlserve/shared';

/** uPlot's columns: times in seconds, then one array per line (null: a gap). */
export type ChartColumns = [number[], ...Array<Array<number | null>>];

export type ChartKind = 'requests' | 'errors' | 'latency' | 'batch';

/** Which fields of a point each chart draws, one line each, in the order of its legend. */
export const CHART_LINES: Record<ChartKind, ReadonlyArray<keyof Omit<StatusPoint, 't'>>> = {
  requests: ['requestsPerMinute'],
  errors: ['clientErrorsPerMinute', 'serverErrorsPerMinute'],
  latency: ['p50Ms', 'p95Ms'],
  batch: ['averageBatchSize'],
};

/** The charts a service has: the compressor runs no batches. */
export function chartsOf(service: ServiceStatus): ChartKind[] {
  return service.kind === 'compressor' ? ['requests', 'errors', 'latency'] : ['requests', 'errors', 'latency', 'batch'];
}

/** A service's series as one chart's columns. */
export function chartColumns(series: readonly StatusPoint[], kind: ChartKind): ChartColumns {
  return [series.map((point) => point.t / 1000), ...CHART_LINES[kind].map((field) => series.map((point) => point[field]))];
}

/** The last figure of a line (now), or null. */
export function latest(series: readonly StatusPoint[], field: keyof Omit<StatusPoint, 't'>): number | null {
  return series.at(-1)?.[field] ?? null;
}

/** The highest figure of the lines over the window, or null when there is none. */
export function peak(series: readonly StatusPoint[], fields: ReadonlyArray<keyof Omit<StatusPoint, 't'>>): number | null {
  const values = series.flatMap((point) => fields.map((field) => point[field])).filter((value): value is number => value !== null);
  return values.length > 0 ? Math.max(...values) : null;
}
