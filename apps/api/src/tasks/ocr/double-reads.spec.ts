import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { doubleReads, type PlacedCharacters } from './double-reads.js';
import type { Quad } from './geometry.js';

/** A level box `x…x + w` at `y`, 17 high, its characters at the given image x positions. */
const line = (x: number, w: number, y: number, chars: Array<[string, number]>, slack = 3 / w): PlacedCharacters => ({
  box: [[x, y], [x + w, y], [x + w, y + 17], [x, y + 17]] as Quad,
  characters: chars.map(([char, at]) => ({ char, at: (at - x) / w })),
  slack,
});

// A bank statement's row: the description's box starts a pixel or two into the date's last digit.
const date = line(25, 95, 205, [['0', 35], ['1', 45], ['A', 53], ['8', 104]]);
const description = line(102, 140, 206, [['8', 106], ['A', 127], ['s', 135]]);

describe('doubleReads', () => {
  it('finds the character the later box of a line read again where the boxes overlap', () => {
    assert.deepEqual(doubleReads([date, description]).map((s) => [...s]), [[], [0]]);
    assert.deepEqual(doubleReads([description, date]).map((s) => [...s]), [[0], []], 'whatever order the lines come in');
  });

  it('keeps a character that differs, or lies further along than the earlier box’s last one', () => {
    assert.deepEqual(doubleReads([date, line(102, 140, 206, [['B', 106], ['A', 127]])]).map((s) => s.size), [0, 0]);
    assert.deepEqual(doubleReads([date, line(102, 140, 206, [['8', 118], ['A', 127]])]).map((s) => s.size), [0, 0]);
  });

  it('leaves boxes alone that do not overlap, or lie on another line', () => {
    assert.deepEqual(doubleReads([date, line(121, 140, 206, [['8', 122]])]).map((s) => s.size), [0, 0]);
    assert.deepEqual(doubleReads([date, line(102, 140, 222, [['8', 106]])]).map((s) => s.size), [0, 0]);
  });

  it('leaves a box alone that lies wholly inside another', () => {
    assert.deepEqual(doubleReads([date, line(90, 20, 205, [['8', 104]])]).map((s) => s.size), [0, 0]);
  });
});
