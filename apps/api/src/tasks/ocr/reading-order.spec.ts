import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Point } from '@dlserve/shared';
import type { Quad } from './geometry.js';
import { alongSlope, joinBands, readingOrder, trustedSlope } from './reading-order.js';

const rect = (text: string, x: number, y: number, w: number, h: number): { text: string; box: Quad } => ({
  text,
  box: [[x, y], [x + w, y], [x + w, y + h], [x, y + h]],
});

/** The same with its right end `dy` lower than its left (a tilted word or cell). */
const sloped = (text: string, x: number, y: number, w: number, h: number, dy: number): { text: string; box: Quad } => ({
  text,
  box: [[x, y], [x + w, y + dy], [x + w, y + h + dy], [x, y + h]],
});

/** Box height and line pitch as the detector gives them: its boxes overlap a little. */
const HEIGHT = 30;
const PITCH = 24;

/** `count` lines of running text at `x`, 480 px wide (the last one shorter), from `top` down. */
const column = (name: string, x: number, top: number, count: number): { text: string; box: Quad }[] =>
  numbered(name, count).map((text, i) => rect(text, x, top + i * PITCH, i === count - 1 ? 300 : 480, HEIGHT));

const numbered = (name: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${name} line ${i + 1} of running text`);

const texts = (bands: { text: string }[][]): string[] => bands.map((band) => band.map((line) => line.text).join(' '));

/** The lines in an order unrelated to the page's: by their text's characters, from the end. */
const shuffled = <T extends { text: string }>(lines: readonly T[]): T[] =>
  [...lines].sort((a, b) => [...b.text].reverse().join('').localeCompare([...a.text].reverse().join('')));

describe('readingOrder', () => {
  it('reads top to bottom, and left to right within a line', () => {
    const lines = [
      rect('right-2', 300, 102, 150, 30),
      rect('left-1', 10, 10, 200, 30),
      rect('left-2', 10, 100, 200, 30),
      rect('right-1', 300, 14, 150, 30), // a little lower than left-1: still its line
    ];
    const bands = readingOrder(lines);
    assert.deepEqual(bands.map((band) => band.map((line) => line.text)), [['left-1', 'right-1'], ['left-2', 'right-2']]);
    assert.equal(joinBands(bands), 'left-1 right-1\nleft-2 right-2');
  });

  it('keeps a slanted line broken into pieces in one band, though its ends differ by more than a line height', () => {
    // Pieces along y = top + 0.1·x, 20 high; each piece's centre is 12 px below the last one's.
    const slanted = (text: string, top: number, x: number): { text: string; box: Quad } => ({
      text,
      box: [[x, top + 0.1 * x], [x + 100, top + 0.1 * (x + 100)], [x + 100, top + 0.1 * (x + 100) + 20], [x, top + 0.1 * x + 20]],
    });
    const lines = [slanted('c', 100, 240), slanted('a', 100, 0), slanted('next', 160, 0), slanted('b', 100, 120)];
    assert.equal(joinBands(readingOrder(lines)), 'a b c\nnext');
  });

  it('orders the lines of a rotated paragraph as written, however long each line is', () => {
    // Left-aligned lines 40 px apart, 300, 600, 250 and 500 px long, the page turned 20°:
    // the long second line's centre ends up lower than the short third line's.
    const turn = (20 * Math.PI) / 180;
    const at = (x: number, y: number): [number, number] => [x * Math.cos(turn) - y * Math.sin(turn), x * Math.sin(turn) + y * Math.cos(turn)];
    const lines = [300, 600, 250, 500].map((length, i) => {
      const y = 40 * i;
      return { text: `line ${i + 1}`, box: [at(0, y), at(length, y), at(length, y + 24), at(0, y + 24)] as Quad };
    });
    assert.equal(joinBands(readingOrder([...lines].reverse())), 'line 1\nline 2\nline 3\nline 4');
  });

  it('reads two columns one after the other, though their lines share rows', () => {
    const lines = [...column('left', 0, 40, 8), ...column('right', 500, 40, 8)];
    assert.deepEqual(texts(readingOrder(shuffled(lines))), [...numbered('left', 8), ...numbered('right', 8)]);
  });

  it('keeps a gutter that a letter of the left column, merged into a right line, reaches into', () => {
    const lines = [...column('left', 0, 40, 8), ...column('right', 500, 40, 8)];
    // The detector took the last letter of the left line into the right one: it starts 20 px (⅔ of a height) too far left.
    const stray = lines.findIndex((line) => line.text.startsWith('right line 4 '));
    lines[stray] = rect(lines[stray]!.text, 460, 40 + 3 * PITCH, 480, HEIGHT);
    assert.deepEqual(texts(readingOrder(shuffled(lines))), [...numbered('left', 8), ...numbered('right', 8)]);
  });

  it('reads a headline over two columns first, and a caption crossing their gutter and a footer after them', () => {
    // Rows 5–7 of each column make room for a three-line caption centred on the gutter (480–500).
    const narrowed = (x: number, width: number) => (line: { text: string; box: Quad }, i: number) =>
      i >= 4 && i < 7 ? rect(line.text, x, 60 + i * PITCH, width, HEIGHT) : line;
    const lines = [
      rect('What Kids Need Most from a Dad, a headline', 100, 0, 780, HEIGHT),
      ...column('left', 0, 60, 12).map(narrowed(0, 340)),
      ...column('right', 500, 60, 12).map(narrowed(640, 340)),
      ...[0, 1, 2].map((i) => rect(`caption line ${i + 1} of three`, 380, 60 + (4 + i) * PITCH, 220, HEIGHT)),
      rect('54 • TRAVEL & LEISURE', 0, 60 + 14 * PITCH, 260, HEIGHT),
    ];
    assert.deepEqual(texts(readingOrder(shuffled(lines))), [
      'What Kids Need Most from a Dad, a headline',
      ...numbered('left', 12),
      ...numbered('right', 12),
      'caption line 1 of three',
      'caption line 2 of three',
      'caption line 3 of three',
      '54 • TRAVEL & LEISURE',
    ]);
  });

  it('reads a table row by row: its gaps are flanked by short cells', () => {
    const rows = ['Clearing Cheque', 'Incoming Interac e-Transfer', 'Assisted Deposit', 'Transfer out to loan 7', 'Clearing Cheque', 'Clearing Cheque'];
    const lines = rows.flatMap((description, i) => {
      const y = 40 + i * PITCH;
      return [
        rect(`0${i + 1}Aug2018`, 0, y, 110, HEIGHT),
        rect(description, 120, y, 12 * description.length, HEIGHT),
        rect(`${4980 + i}`, 560, y, 60, HEIGHT),
        rect(`${100 + i}.07`, 660, y, 70, HEIGHT),
        rect(`99,${900 + i}.15`, 800, y, 110, HEIGHT),
      ];
    });
    const expected = rows.map((description, i) => `0${i + 1}Aug2018 ${description} ${4980 + i} ${100 + i}.07 99,${900 + i}.15`);
    assert.deepEqual(joinBands(readingOrder(shuffled(lines))).split('\n'), expected);
  });

  it('reads the columns of a page scanned askew (4°) one after the other', () => {
    // 50 lines down, the page's tilt moves a line's start 84 px left: more than the gutter is wide.
    const turn = (4 * Math.PI) / 180;
    const at = ([x, y]: Point): Point => [x * Math.cos(turn) - y * Math.sin(turn) + 200, x * Math.sin(turn) + y * Math.cos(turn)];
    const lines = [...column('left', 0, 40, 50), ...column('right', 490, 40, 50)].map((line) => ({ ...line, box: line.box.map(at) as Quad }));
    assert.deepEqual(texts(readingOrder(shuffled(lines))), [...numbered('left', 50), ...numbered('right', 50)]);
  });

  it('ends the columns at a headline under them, though the gap between its words lies on their gutter', () => {
    const lines = [
      ...column('left', 0, 40, 8),
      ...column('right', 500, 40, 8),
      rect('What Kids Need', 100, 40 + 10 * PITCH, 370, 90),
      rect('Most in a Dad', 520, 40 + 10 * PITCH, 380, 90),
      rect('BY RALPH KINNEY BENNETT', 0, 40 + 15 * PITCH, 300, HEIGHT),
    ];
    assert.deepEqual(texts(readingOrder(shuffled(lines))), [
      ...numbered('left', 8),
      ...numbered('right', 8),
      'What Kids Need Most in a Dad',
      'BY RALPH KINNEY BENNETT',
    ]);
  });

  it('reads three blocks side by side block by block, and the paragraph under them last', () => {
    const lines = [
      ...column('first', 0, 40, 4),
      ...column('second', 520, 40, 5),
      ...column('third', 1040, 48, 3),
      rect('a paragraph under all three blocks', 0, 40 + 7 * PITCH, 1400, HEIGHT),
    ];
    assert.deepEqual(texts(readingOrder(shuffled(lines))), [
      ...numbered('first', 4),
      ...numbered('second', 5),
      ...numbered('third', 3),
      'a paragraph under all three blocks',
    ]);
  });

  it('keeps a form with two short cells a row on one line each', () => {
    const lines = [
      rect('(Sender’s Name) Please Print', 0, 0, 340, HEIGHT),
      rect('Robert M. Alexander', 0, PITCH, 420, HEIGHT),
      rect('City', 0, 2 * PITCH, 60, HEIGHT),
      rect('State', 420, 2 * PITCH, 70, HEIGHT),
      rect('Richmond', 0, 3 * PITCH, 200, HEIGHT),
      rect('VA', 420, 3 * PITCH, 60, HEIGHT),
    ];
    assert.deepEqual(joinBands(readingOrder(shuffled(lines))).split('\n'), ['(Sender’s Name) Please Print', 'Robert M. Alexander', 'City State', 'Richmond VA']);
  });

  it('reads two rows of long lines side by side as rows: too few for columns', () => {
    const lines = [
      rect('Sender: Robert M. Alexander', 0, 0, 330, HEIGHT),
      rect('Recipient: Ashok C. Popat', 500, 0, 300, HEIGHT),
      rect('Address: P.O. Box 85149', 0, PITCH, 280, HEIGHT),
      rect('Address: 625 Cedar Street', 500, PITCH, 300, HEIGHT),
    ];
    assert.deepEqual(texts(readingOrder(shuffled(lines))), ['Sender: Robert M. Alexander Recipient: Ashok C. Popat', 'Address: P.O. Box 85149 Address: 625 Cedar Street']);
  });

  it('answers no bands for no lines', () => {
    assert.deepEqual(readingOrder([]), []);
    assert.equal(joinBands([]), '');
  });
});

describe('trustedSlope', () => {
  it('takes off the slope one pixel over the box’s length, down to level', () => {
    assert.ok(Math.abs(trustedSlope({ slope: 0.03, width: 100 }) - 0.02) < 1e-12);
    assert.ok(Math.abs(trustedSlope({ slope: -0.03, width: 100 }) + 0.02) < 1e-12);
    assert.equal(trustedSlope({ slope: 0.008, width: 100 }), 0);
  });

  it('keeps a table row together past a short cell sloped by its corners’ rounding', () => {
    // A bank statement's rows 17 px apart; the date cell's right end 1.3 px lower than its left.
    const lines = [
      sloped('01Aug2018', 25, 205, 90, 17, 1.3),
      rect('Incoming', 115, 206, 197, 17),
      rect('101,183.92', 820, 205, 120, 17),
      sloped('01Aug2018', 25, 222, 90, 17, 1.2),
      rect('Assisted Deposit', 111, 223, 130, 17),
      rect('68,769.42', 830, 223, 81, 17),
    ];
    assert.deepEqual(texts(readingOrder(shuffled(lines))), ['01Aug2018 Incoming 101,183.92', '01Aug2018 Assisted Deposit 68,769.42']);
  });
});

describe('alongSlope', () => {
  it('follows a box’s slope to where the other box would touch it, and no further', () => {
    assert.equal(alongSlope({ cx: 100, width: 80 }, { cx: 150, width: 40 }), 50);
    assert.equal(alongSlope({ cx: 100, width: 80 }, { cx: 700, width: 120 }), 100);
    assert.equal(alongSlope({ cx: 700, width: 120 }, { cx: 100, width: 80 }), -100);
  });

  it('keeps a form’s fields on their rows past a word tilted by its descenders', () => {
    // A handwritten form's labels 40 px high; "City" tilted 5 px along its 79 px; the row below 58 px lower.
    const lines = [
      sloped('City', 0, 687, 79, 40, 5),
      rect('State', 613, 689, 94, 44),
      rect('Zip', 951, 690, 66, 52),
      sloped('San Carlos', 0, 738, 332, 58, 2),
      sloped('CA', 613, 740, 118, 60, -6),
      rect('94070-8003', 767, 740, 407, 55),
    ];
    assert.deepEqual(texts(readingOrder(shuffled(lines))), ['City State Zip', 'San Carlos CA 94070-8003']);
  });
});
