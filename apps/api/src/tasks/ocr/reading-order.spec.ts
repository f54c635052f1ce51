import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Quad } from './geometry.js';
import { joinBands, readingOrder } from './reading-order.js';

const rect = (text: string, x: number, y: number, w: number, h: number): { text: string; box: Quad } => ({
  text,
  box: [[x, y], [x + w, y], [x + w, y + h], [x, y + h]],
});

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

  it('answers no bands for no lines', () => {
    assert.deepEqual(readingOrder([]), []);
    assert.equal(joinBands([]), '');
  });
});
