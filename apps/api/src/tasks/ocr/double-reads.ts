import type { Point } from '@dlserve/shared';
import type { Quad } from './geometry.js';

/** A line's characters where they lie in the image: along its box's top edge, from its top-left. */
export interface PlacedCharacters {
  /** Clockwise from the text's top-left, in the image. */
  box: Quad;
  /** Each character: its text and how far along the box's top edge it lies (0–1). */
  characters: ReadonlyArray<{ char: string; at: number }>;
  /** How far (0–1 of the box's length) a character's place can be off: a recogniser step. */
  slack: number;
}

const sub = (a: Point, b: Point): Point => [a[0] - b[0], a[1] - b[1]];
const dot = (a: Point, b: Point): number => a[0] * b[0] + a[1] * b[1];

/**
 * The characters read twice where the boxes of one line overlap, by line: per line, the indices
 * of its characters that the line before it along the text also read, the same character at the
 * same place (within both lines' slack). Boxes are grown by about their height at each end, so
 * where two words stand one space apart, a box takes in the neighbouring word's edge: on a bank
 * statement, each description that began a pixel or two into its date's last digit read it again
 * ("01Aug2018" then "8 Clearing Cheque"). The earlier line keeps its character.
 */
export function doubleReads(lines: readonly PlacedCharacters[]): Set<number>[] {
  const found = lines.map(() => new Set<number>());
  const frames = lines.map(({ box }) => {
    const along = sub(box[1], box[0]);
    const length = Math.hypot(along[0], along[1]);
    const u: Point = length > 0 ? [along[0] / length, along[1] / length] : [1, 0];
    const across = sub(box[3], box[0]);
    const height = Math.hypot(across[0], across[1]);
    const centre: Point = [(box[0][0] + box[2][0]) / 2, (box[0][1] + box[2][1]) / 2];
    return { u, length, height, centre };
  });
  for (const [i, first] of lines.entries()) {
    const f = frames[i]!;
    if (first.characters.length === 0 || f.length === 0) continue;
    const origin = dot(first.box[0], f.u);
    for (const [j, next] of lines.entries()) {
      const g = frames[j]!;
      if (j === i || next.characters.length === 0 || dot(f.u, g.u) <= 0) continue;
      // On the same line: the next box's centre within half a line height across the first's.
      const offset = sub(g.centre, f.centre);
      if (Math.abs(offset[0] * -f.u[1] + offset[1] * f.u[0]) >= Math.min(f.height, g.height) / 2) continue;
      const start = dot(next.box[0], f.u) - origin;
      const end = dot(next.box[1], f.u) - origin;
      // The next box starts inside the first one and ends past it.
      if (start <= 0 || start >= f.length || end <= f.length) continue;
      const mine = first.characters.map((c) => ({ char: c.char, at: c.at * f.length }));
      const slack = first.slack * f.length + next.slack * (end - start);
      const last = Math.max(...mine.map((c) => c.at));
      for (const [k, c] of next.characters.entries()) {
        const at = start + c.at * (end - start);
        if (at > last + slack) break;
        if (mine.some((m) => m.char === c.char && Math.abs(m.at - at) <= slack)) found[j]!.add(k);
      }
    }
  }
  return found;
}
