import type { Point } from '@dlserve/shared';
import type { Quad } from './geometry.js';

/** Two boxes are on one line when their vertical centres differ by less than this × their line height. */
const BAND_TOLERANCE = 0.5;
/**
 * A line with fewer characters than this is a table cell or a label, not running text: Tesseract's
 * table finder takes a partition of fewer than 10 components for a data cell (kMinBoxesInTextPartition).
 */
const MIN_TEXT_CHARS = 10;
/**
 * A gutter is a column gutter when at least this many lines of running text flank it on each side:
 * two lines side by side are as often a form's row or two headings; three make a paragraph.
 */
const MIN_COLUMN_LINES = 3;
/**
 * A column's consecutive lines differ in height by less than this factor. The boxes of one column's
 * lines vary by a third or so (ascenders, descenders, the detector), a heading inside a column is
 * taller (the 1914 newspaper's TEMPLE NOTICES: 1.7 times its text); a line more than twice as tall
 * as the one above it on its side is of another size class, a headline across the page, and the
 * column ended above it.
 */
const MAX_HEIGHT_RATIO = 2;
/** A block's lines follow one another at less than this many line heights: no blank line between. */
const MAX_BLOCK_STEP = 1.5;

interface Placed<T> {
  item: T;
  cx: number;
  cy: number;
  /** Height of the text: the box's side across its reading direction. */
  height: number;
  /** Length of the box along its reading direction. */
  width: number;
  /** Slope of the text's top edge, dy/dx, clamped to ±1 (45°). */
  slope: number;
  /** Characters other than spaces. */
  chars: number;
}

const mid = (a: Point, b: Point): Point => [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];

function place<T extends { box: Quad; text: string }>(item: T): Placed<T> {
  const [tl, tr, br, bl] = item.box;
  const left = mid(tl, bl);
  const right = mid(tr, br);
  const dx = right[0] - left[0];
  const slope = dx > 0 ? Math.max(-1, Math.min(1, (right[1] - left[1]) / dx)) : 0;
  const height = (Math.hypot(bl[0] - tl[0], bl[1] - tl[1]) + Math.hypot(br[0] - tr[0], br[1] - tr[1])) / 2;
  const width = Math.hypot(right[0] - left[0], right[1] - left[1]);
  const chars = Array.from(item.text.replace(/\s/gu, '')).length;
  return { item, cx: (left[0] + right[0]) / 2, cy: (left[1] + right[1]) / 2, height, width, slope, chars };
}

/**
 * The boxes as seen with the page turned level: centres turned by minus the text's median angle,
 * slopes taken relative to it. On a rotated page a long line's centre lies further along the
 * slant than a short one's, so level centres are what tell which line comes first.
 */
function levelled<T>(placed: Placed<T>[]): Placed<T>[] {
  const angles = placed.map((p) => Math.atan(p.slope)).sort((a, b) => a - b);
  const angle = angles.length === 0 ? 0 : angles[angles.length >> 1]!;
  if (angle === 0) return placed;
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  return placed.map((p) => ({
    ...p,
    cx: p.cx * cos + p.cy * sin,
    cy: p.cy * cos - p.cx * sin,
    slope: Math.tan(Math.atan(p.slope) - angle),
  }));
}

/**
 * How far a box's slope can be told from level: a box's corners are whole detector pixels, so its
 * ends' heights may each be half a pixel off, and the slope of a box `width` long by up to one
 * pixel over that length. This much is taken off the slope before a line is followed past the box:
 * a 9-character table cell, 90 px long, sloped 1.3 px by that rounding, and followed 800 px across
 * a bank statement's row put the next row's last figure in its row.
 */
export function trustedSlope(box: { slope: number; width: number }): number {
  const slack = 1 / Math.max(box.width, 1);
  return Math.sign(box.slope) * Math.max(0, Math.abs(box.slope) - slack);
}

/**
 * How far along the line a box's slope is followed to where another box's centre lies: up to
 * where the two would touch, and level across the gap between them. A box's slope is measured
 * along its own length only; a handwritten word's box, tilted by its descenders (a 79 px "City"
 * by 5 px), followed 630 px across a form put the next field's letters, a line below, in its line.
 */
export function alongSlope(from: { cx: number; width: number }, to: { cx: number; width: number }): number {
  const dx = to.cx - from.cx;
  return Math.sign(dx) * Math.min(Math.abs(dx), (from.width + to.width) / 2);
}

/**
 * Bands of boxes on one line, top to bottom, each left to right. A box joins a band when its
 * centre is within half a line height of where the band's horizontally nearest box's line runs
 * at that x, so a slanted line broken into pieces stays one band.
 */
function bandsOf<T>(placed: readonly Placed<T>[]): Placed<T>[][] {
  const sorted = [...placed].sort((a, b) => a.cy - b.cy || a.cx - b.cx);
  const bands: Placed<T>[][] = [];
  for (const box of sorted) {
    let home: Placed<T>[] | undefined;
    let bestGap = Infinity;
    // Only the last few bands can hold a box this low: the boxes come sorted by centre.
    for (const band of bands.slice(-4)) {
      let nearest = band[0]!;
      for (const other of band) if (Math.abs(other.cx - box.cx) < Math.abs(nearest.cx - box.cx)) nearest = other;
      const expected = nearest.cy + trustedSlope(nearest) * alongSlope(nearest, box);
      const gap = Math.abs(box.cy - expected);
      if (gap < BAND_TOLERANCE * (box.height + nearest.height) / 2 && gap < bestGap) {
        home = band;
        bestGap = gap;
      }
    }
    if (home) home.push(box);
    else bands.push([box]);
  }
  for (const band of bands) band.sort((a, b) => a.cx - b.cx);
  return bands;
}

interface Span {
  lo: number;
  hi: number;
}

/**
 * The box's core along the line: the box shortened by its height at both ends, or nothing when it
 * is shorter than two heights. The detector's boxes reach past the ink by a fifth of their height
 * or so on every side (unclip ratio 3; on the magazine page 12–16 px at the ends of 60–70 px boxes),
 * and now and then it merges a letter of the next column into a line's end; gutters are looked for
 * between cores, so neither closes one. A box without a core (a letter or two, often a speck)
 * closes no gutter.
 */
function core(box: Placed<unknown>): Span | undefined {
  const half = box.width / 2 - box.height;
  return half > 0 ? { lo: box.cx - half, hi: box.cx + half } : undefined;
}

/** The x ranges of a band that no core covers, from −∞ to +∞. */
function freeSpans(band: readonly Placed<unknown>[]): Span[] {
  const cores = band.flatMap((box) => core(box) ?? []).sort((a, b) => a.lo - b.lo);
  const free: Span[] = [];
  let from = -Infinity;
  for (const c of cores) {
    if (c.lo > from) free.push({ lo: from, hi: c.lo });
    from = Math.max(from, c.hi);
  }
  free.push({ lo: from, hi: Infinity });
  return free;
}

/** A column gutter: the x range `span`, free of cores in bands `first`…`last`. */
interface Wall extends Span {
  first: number;
  last: number;
}

/** Whether a box lies left of a gap through its band: its core lies wholly on one side; a box without one goes by its centre. */
function leftOf(box: Placed<unknown>, span: Span): boolean {
  const c = core(box);
  return c ? c.hi <= span.lo : box.cx < (span.lo + span.hi) / 2;
}

/**
 * The largest empty rectangles between the bands' cores: x ranges that no core covers in any band
 * of a run of consecutive bands, each as wide and as long as it goes. From each band down, its gaps
 * are narrowed by the gaps of the bands below; a gap is kept where the next band would narrow or
 * close it, unless the band above the run leaves it open too (a run from higher up covers it).
 */
function emptyRuns(bands: readonly Placed<unknown>[][]): Wall[] {
  const free = bands.map(freeSpans);
  const within = (s: Span, spans: readonly Span[]): boolean => spans.some((f) => f.lo <= s.lo && s.hi <= f.hi);
  const runs: Wall[] = [];
  for (let first = 0; first < bands.length; first++) {
    let open = free[first]!;
    for (let k = first + 1; open.length > 0; k++) {
      const next: Span[] = [];
      if (k < bands.length) {
        for (const s of open) {
          for (const f of free[k]!) {
            const lo = Math.max(s.lo, f.lo);
            const hi = Math.min(s.hi, f.hi);
            if (lo < hi) next.push({ lo, hi });
          }
        }
      }
      for (const s of open) {
        const goesOn = next.some((n) => n.lo === s.lo && n.hi === s.hi);
        const startsHigher = first > 0 && within(s, free[first - 1]!);
        if (!goesOn && !startsHigher && Number.isFinite(s.lo) && Number.isFinite(s.hi)) runs.push({ ...s, first, last: k - 1 });
      }
      open = next;
    }
  }
  return runs;
}

/** A band's boxes nearest to a gap on its either side. */
interface Flank {
  left?: Placed<unknown>;
  right?: Placed<unknown>;
}

function flankOf(boxes: readonly Placed<unknown>[], span: Span): Flank {
  const left = boxes.filter((box) => leftOf(box, span));
  const right = boxes.filter((box) => !leftOf(box, span));
  return { left: left[left.length - 1], right: right[0] };
}

/**
 * The column gutters of a page: empty runs (see `emptyRuns`) with a column on each side. Beside
 * the gap, each band has its nearest box on either side, and its nearest line (a box with a core:
 * specks don't count). A run is cut where a side's line is more than MAX_HEIGHT_RATIO times as
 * tall as the one above it on that side, or that much smaller; trimmed to the bands with a line on
 * both sides; and kept when at least MIN_COLUMN_LINES of the nearest boxes on each side are
 * running text. A table's gaps are flanked by short cells, so a table is not cut into columns;
 * nor is a form's row.
 */
function columnGutters(bands: readonly Placed<unknown>[][]): Wall[] {
  const walls: Wall[] = [];
  for (const run of emptyRuns(bands)) {
    const range = bands.slice(run.first, run.last + 1);
    const near = range.map((band) => flankOf(band, run));
    const lines = range.map((band) => flankOf(band.filter((box) => core(box) !== undefined), run));
    const pieces: number[][] = [[]];
    let above: Flank = {};
    for (const [i, here] of lines.entries()) {
      const resized = (['left', 'right'] as const).some((side) => {
        const [a, b] = [above[side], here[side]];
        return a && b && Math.max(a.height, b.height) > MAX_HEIGHT_RATIO * Math.min(a.height, b.height);
      });
      if (resized) {
        pieces.push([]);
        above = {};
      }
      pieces[pieces.length - 1]!.push(i);
      above = { left: here.left ?? above.left, right: here.right ?? above.right };
    }
    for (const piece of pieces) {
      const sided = piece.filter((i) => lines[i]!.left && lines[i]!.right);
      if (sided.length === 0) continue;
      const [from, to] = [sided[0]!, sided[sided.length - 1]!];
      const kept = near.slice(from, to + 1);
      const text = (side: 'left' | 'right'): number => kept.filter((f) => (f[side]?.chars ?? 0) >= MIN_TEXT_CHARS).length;
      if (text('left') >= MIN_COLUMN_LINES && text('right') >= MIN_COLUMN_LINES) {
        walls.push({ lo: run.lo, hi: run.hi, first: run.first + from, last: run.first + to });
      }
    }
  }
  return walls;
}

/** A band's boxes between two neighbouring gutters (or the whole band where no gutter runs). */
interface Cell<T> {
  band: number;
  boxes: Placed<T>[];
  span: Span;
  cy: number;
  height: number;
}

/**
 * Where a cell's boxes lie along the line: from the first box's start to the last one's end, each
 * shortened by half its height: the detector's margin and a little more, so that a line a stray
 * letter of the next column lengthened still stays clear of that column's lines.
 */
function extent(boxes: readonly Placed<unknown>[]): Span {
  const inner = (b: Placed<unknown>): number => Math.max(0, b.width / 2 - b.height / 2);
  return { lo: Math.min(...boxes.map((b) => b.cx - inner(b))), hi: Math.max(...boxes.map((b) => b.cx + inner(b))) };
}

const overlap = (a: Span, b: Span): boolean => a.lo <= b.hi && b.lo <= a.hi;

function cellsOf<T>(bands: readonly Placed<T>[][], walls: readonly Wall[]): Cell<T>[][] {
  return bands.map((band, k) => {
    const through = walls.filter((w) => w.first <= k && k <= w.last);
    // A box's cell: how many of the band's gutters lie left of it.
    const groups = new Map<number, Placed<T>[]>();
    for (const box of band) {
      const index = through.filter((w) => !leftOf(box, w)).length;
      groups.set(index, [...(groups.get(index) ?? []), box]);
    }
    return [...groups.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, boxes]) => ({
        band: k,
        boxes,
        span: extent(boxes),
        cy: boxes.reduce((sum, b) => sum + b.cy, 0) / boxes.length,
        height: Math.max(...boxes.map((b) => b.height)),
      }));
  });
}

/** Cells stacked into a block of text: a paragraph, a column, a caption. */
interface Block<T> {
  cells: Cell<T>[];
  span: Span;
  top: number;
}

/**
 * Cells chained down the page: a cell continues the block of its neighbour above when each is the
 * other's only neighbour (a heading over two columns continues neither), and no blank line lies
 * between. A cell's neighbours above are the cells of the nearest band above that share at least
 * half the narrower one's width with it: a caption that crosses the gutter, overlapping the
 * column's full lines above it at their end, is no neighbour of theirs.
 */
function blocksOf<T>(cells: readonly Cell<T>[][]): Block<T>[] {
  const shares = (a: Span, b: Span): boolean => Math.min(a.hi, b.hi) - Math.max(a.lo, b.lo) >= Math.min(a.hi - a.lo, b.hi - b.lo) / 2;
  const nearest = (cell: Cell<T>, step: number): Cell<T>[] => {
    for (let k = cell.band + step; k >= 0 && k < cells.length; k += step) {
      const found = cells[k]!.filter((c) => shares(c.span, cell.span));
      if (found.length > 0) return found;
    }
    return [];
  };
  const blockOf = new Map<Cell<T>, Block<T>>();
  const blocks: Block<T>[] = [];
  for (const cell of cells.flat()) {
    const above = nearest(cell, -1);
    const upper = above.length === 1 ? above[0]! : undefined;
    const joins =
      upper !== undefined &&
      nearest(upper, 1).length === 1 &&
      cell.cy - upper.cy <= MAX_BLOCK_STEP * Math.min(cell.height, upper.height);
    let block = joins ? blockOf.get(upper) : undefined;
    if (!block) {
      block = { cells: [], span: { ...cell.span }, top: cell.cy - cell.height / 2 };
      blocks.push(block);
    }
    block.cells.push(cell);
    block.span = { lo: Math.min(block.span.lo, cell.span.lo), hi: Math.max(block.span.hi, cell.span.hi) };
    blockOf.set(cell, block);
  }
  return blocks;
}

/**
 * The blocks in reading order, after Breuel's rules ("High performance document layout analysis",
 * 2003) with the gutters in place of his test for a separating line: a block comes before another
 * that it overlaps horizontally and starts above, and before one it lies left of across a column
 * gutter (a cell of each beside that gutter). Of the blocks whose predecessors are all placed, the
 * one starting highest comes next; so a caption or footer that no gutter reaches comes after the
 * columns beside it, not inside them.
 */
function orderBlocks<T>(blocks: readonly Block<T>[], walls: readonly Wall[]): Block<T>[] {
  // For each gutter, the blocks with a cell beside it on its left, and on its right.
  const beside = walls.map((w) => {
    const sides = { left: new Set<Block<T>>(), right: new Set<Block<T>>() };
    for (const block of blocks) {
      for (const cell of block.cells) {
        if (cell.band < w.first || cell.band > w.last) continue;
        sides[cell.boxes.every((box) => leftOf(box, w)) ? 'left' : 'right'].add(block);
      }
    }
    return sides;
  });
  const before = (a: Block<T>, b: Block<T>): boolean =>
    overlap(a.span, b.span)
      ? a.top < b.top || (a.top === b.top && a.span.lo < b.span.lo)
      : a.span.hi < b.span.lo && beside.some((s) => s.left.has(a) && s.right.has(b));
  const preceding = new Map(blocks.map((b) => [b, new Set(blocks.filter((a) => a !== b && before(a, b)))]));
  const higher = (a: Block<T>, b: Block<T>): Block<T> => (b.top < a.top || (b.top === a.top && b.span.lo < a.span.lo) ? b : a);
  const order: Block<T>[] = [];
  while (preceding.size > 0) {
    const pending = [...preceding.keys()];
    const free = pending.filter((b) => preceding.get(b)!.size === 0);
    // A cycle (boxes at odd angles can make one) is broken at the block starting highest.
    const next = (free.length > 0 ? free : pending).reduce(higher);
    order.push(next);
    preceding.delete(next);
    for (const waiting of preceding.values()) waiting.delete(next);
  }
  return order;
}

/**
 * Reading order on the page turned level (see `levelled`): bands of boxes on one line, top to
 * bottom, each left to right (see `bandsOf`); on a page with column gutters (see `columnGutters`)
 * each column is read down before the next, and what spans columns (a headline, a caption, a
 * footer) where it stands among them (see `orderBlocks`). Each band of the answer is one line of
 * the page, or the part of it in one column.
 */
export function readingOrder<T extends { box: Quad; text: string }>(items: readonly T[]): T[][] {
  const bands = bandsOf(levelled(items.map(place)));
  const walls = columnGutters(bands);
  if (walls.length === 0) return bands.map((band) => band.map((p) => p.item));
  const blocks = orderBlocks(blocksOf(cellsOf(bands, walls)), walls);
  return blocks.flatMap((block) => block.cells.map((cell) => cell.boxes.map((p) => p.item)));
}

/** The lines' text: one band a line, its pieces joined with a space. */
export function joinBands<T extends { text: string }>(bands: readonly (readonly T[])[]): string {
  return bands.map((band) => band.map((line) => line.text).join(' ')).join('\n');
}
