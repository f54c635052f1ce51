/** The run as text: one table per scenario, with the ratios and the targets beside them. */
import { BATCHING_TARGET, type BenchRun, type Cell, findCell, HTTP_TARGET, PATHS, type ScenarioInfo, throughputRatio } from './results.js';

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  return ms < 10 ? ms.toFixed(1) : ms.toFixed(0);
}

export function formatRate(perSecond: number): string {
  return perSecond < 10 ? perSecond.toFixed(2) : perSecond.toFixed(1);
}

export function formatRatio(ratio: number | null): string {
  return ratio === null ? '–' : `${ratio.toFixed(2)}×`;
}

/** PASS / MISS against a target ratio; n/a when there is nothing to compare. */
export function verdict(ratio: number | null, target: number): string {
  if (ratio === null) return 'n/a';
  return ratio >= target ? 'PASS' : 'MISS';
}

/** A cell whose figures do not stand: answers that were not 200, or no answer at all within the cell's time. */
export function flag(cell: Cell): string {
  if (cell.non200 + cell.errors > 0) return '<- FAILED REQUESTS';
  if (cell.requests === 0) return '<- NO ANSWER IN TIME (raise BENCH_SECONDS)';
  return '';
}

const HEADER = ['path', 'batching', 'conc', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'non-200', 'errors', '÷ in-process', ''];

function row(run: BenchRun, cell: Cell): string[] {
  const inProcess = cell.path === 'in-process' || cell.batching === 'off' ? null : findCell(run, cell.scenario, 'in-process', cell.concurrency);
  return [
    cell.path,
    cell.batching,
    String(cell.concurrency),
    formatRate(cell.requestsPerSecond),
    formatMs(cell.p50),
    formatMs(cell.p95),
    formatMs(cell.p99),
    String(cell.non200),
    String(cell.errors),
    inProcess === null ? '' : formatRatio(throughputRatio(cell, inProcess)),
    flag(cell),
  ];
}

function layout(rows: string[][]): string {
  const widths = HEADER.map((_, column) => Math.max(...rows.map((cells) => cells[column]!.length)));
  // Names left, numbers right.
  return rows
    .map((cells) => cells.map((text, column) => (column < 2 ? text.padEnd(widths[column]!) : column === cells.length - 1 ? text : text.padStart(widths[column]!))).join('  ').trimEnd())
    .join('\n');
}

/** The lines below a scenario's table: the targets and whether they were met. */
export function targetLines(run: BenchRun, scenario: ScenarioInfo): string[] {
  const at = HTTP_TARGET.concurrency;
  const lines: string[] = [];
  for (const path of ['http', 'nginx'] as const) {
    const ratio = throughputRatio(findCell(run, scenario.name, path, at), findCell(run, scenario.name, 'in-process', at));
    const target = path === 'http' ? ` (target ≥ ${HTTP_TARGET.ratio}×: ${verdict(ratio, HTTP_TARGET.ratio)})` : '';
    lines.push(`${path === 'http' ? 'HTTP' : 'nginx'} ÷ in-process at concurrency ${at}: ${formatRatio(ratio)}${target}`);
  }
  const c = BATCHING_TARGET.concurrency;
  if (scenario.maxBatchSize > 1) {
    const ratio = throughputRatio(findCell(run, scenario.name, 'http', c, 'on'), findCell(run, scenario.name, 'http', c, 'off'));
    lines.push(`batching on ÷ off (HTTP) at concurrency ${c}: ${formatRatio(ratio)} (target ≥ ${BATCHING_TARGET.ratio}×: ${verdict(ratio, BATCHING_TARGET.ratio)})`);
  } else {
    lines.push(`batching on ÷ off: n/a (maxBatchSize 1: this model's inputs do not batch)`);
  }
  return lines;
}

/** One table per scenario: rows in-process / HTTP / nginx (then batching off) by concurrency. */
export function formatReport(run: BenchRun): string {
  const out: string[] = [];
  for (const scenario of run.scenarios) {
    const cells = run.cells
      .filter((cell) => cell.scenario === scenario.name)
      .sort((a, b) => (a.batching === b.batching ? 0 : a.batching === 'on' ? -1 : 1) || PATHS.indexOf(a.path) - PATHS.indexOf(b.path) || a.concurrency - b.concurrency);
    out.push(`\n${scenario.name}: ${scenario.request}`);
    out.push(layout([HEADER, ...cells.map((cell) => row(run, cell))]));
    out.push(...targetLines(run, scenario));
  }
  return out.join('\n');
}
