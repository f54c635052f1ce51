/**
 * The run as a bar chart: one panel per scenario, throughput (req/s) by concurrency, a bar per
 * path. Hand-written SVG from the JSON figures: a static chart needs no chart library.
 */
import { type BenchRun, PATHS, type RequestPath } from './results.js';

const WIDTH = 760;
const PANEL_HEIGHT = 200;
const MARGIN = { left: 70, right: 150, top: 34, bottom: 30 };
const COLOURS: Record<RequestPath | 'off', string> = { 'in-process': '#4e79a7', http: '#f28e2b', nginx: '#59a14f', off: '#bab0ac' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const fixed = (n: number): string => (Math.round(n * 10) / 10).toString();

export function renderSvg(run: BenchRun): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const parts: string[] = [];
  const series: Array<{ key: RequestPath | 'off'; label: string }> = [
    ...PATHS.map((path) => ({ key: path, label: path })),
    { key: 'off', label: 'http, batching off' },
  ];
  run.scenarios.forEach((scenario, index) => {
    const top = index * PANEL_HEIGHT;
    const cells = run.cells.filter((cell) => cell.scenario === scenario.name);
    const concurrencies = [...new Set(cells.map((cell) => cell.concurrency))].sort((a, b) => a - b);
    const max = Math.max(0, ...cells.map((cell) => cell.requestsPerSecond));
    const scale = max > 0 ? plotHeight / max : 0;
    const baseline = top + MARGIN.top + plotHeight;
    parts.push(`<g class="panel">`);
    parts.push(`<text x="${MARGIN.left}" y="${top + 20}" font-weight="bold">${escapeXml(`${scenario.name}: req/s by concurrency`)}</text>`);
    parts.push(`<line x1="${MARGIN.left}" y1="${baseline}" x2="${MARGIN.left + plotWidth}" y2="${baseline}" stroke="#333"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${top + MARGIN.top + 4}" text-anchor="end">${escapeXml(max.toFixed(1))}</text>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${baseline}" text-anchor="end">0</text>`);
    const groupWidth = concurrencies.length > 0 ? plotWidth / concurrencies.length : plotWidth;
    const barWidth = (groupWidth * 0.8) / series.length;
    concurrencies.forEach((concurrency, group) => {
      const left = MARGIN.left + group * groupWidth + groupWidth * 0.1;
      parts.push(`<text x="${fixed(left + groupWidth * 0.4)}" y="${baseline + 18}" text-anchor="middle">c=${concurrency}</text>`);
      series.forEach(({ key }, slot) => {
        const cell = cells.find((c) => c.concurrency === concurrency && (key === 'off' ? c.batching === 'off' : c.batching === 'on' && c.path === key));
        if (!cell) return;
        const height = cell.requestsPerSecond * scale;
        const failed = cell.non200 + cell.errors > 0;
        parts.push(
          `<rect x="${fixed(left + slot * barWidth)}" y="${fixed(baseline - height)}" width="${fixed(barWidth - 2)}" height="${fixed(height)}" fill="${COLOURS[key]}"${failed ? ' stroke="#d00" stroke-width="2"' : ''}>` +
            `<title>${escapeXml(`${scenario.name} ${key} c=${concurrency}: ${cell.requestsPerSecond.toFixed(2)} req/s${failed ? `, ${cell.non200 + cell.errors} failed` : ''}`)}</title></rect>`,
        );
      });
    });
    series.forEach(({ key, label }, slot) => {
      const y = top + MARGIN.top + slot * 18;
      parts.push(`<rect x="${WIDTH - MARGIN.right + 14}" y="${y}" width="12" height="12" fill="${COLOURS[key]}"/>`);
      parts.push(`<text x="${WIDTH - MARGIN.right + 32}" y="${y + 10}">${escapeXml(label)}</text>`);
    });
    parts.push(`</g>`);
  });
  const height = Math.max(1, run.scenarios.length) * PANEL_HEIGHT + 24;
  const caption = `dlserve serving benchmark, ${run.startedAt}, ${run.machine.cores} cores, ${run.settings.seconds} s per cell`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...parts,
    `<text x="${MARGIN.left}" y="${height - 8}" fill="#555">${escapeXml(caption)}</text>`,
    `</svg>`,
    '',
  ].join('\n');
}
