import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ctcAlphabet, ctcGreedyDecode, insertWordGaps, lettersForZeros, SPACE_PROBABILITY, SPACE_PROBABILITY_AFTER_PUNCTUATION, type DecodedText } from './ctc.js';

const alphabet = ['', 'a', 'b'];
/** One row per step: the named class gets `p`, the others share the rest. */
function steps(sequence: Array<[number, number]>): Float32Array {
  return Float32Array.from(sequence.flatMap(([best, p]) => alphabet.map((_, c) => (c === best ? p : (1 - p) / 2))));
}

describe('ctcGreedyDecode', () => {
  it('collapses repeats and drops blanks: a a _ a b b _ → aab', () => {
    const scores = steps([[1, 0.9], [1, 0.8], [0, 0.9], [1, 0.7], [2, 0.6], [2, 0.9], [0, 0.9]]);
    const decoded = ctcGreedyDecode(scores, 7, 3, alphabet);
    assert.equal(decoded.text, 'aab');
    // The kept characters are the first step of each run: 0.9, 0.7, 0.6.
    assert.ok(Math.abs(decoded.confidence - (0.9 + 0.7 + 0.6) / 3) < 1e-6);
  });

  it('softmaxes scores that are not probabilities', () => {
    const logits = Float32Array.from([0, 2, 0, /* step 2 */ 5, 0, 0, /* step 3 */ 0, 0, 1]);
    const decoded = ctcGreedyDecode(logits, 3, 3, alphabet);
    assert.equal(decoded.text, 'ab');
    const softmaxOfBest = (best: number) => Math.exp(best) / (Math.exp(best) + 2);
    assert.ok(Math.abs(decoded.confidence - (softmaxOfBest(2) + softmaxOfBest(1)) / 2) < 1e-6);
  });

  it('gives each kept character the first and last step of its run', () => {
    const scores = steps([[1, 0.9], [1, 0.8], [0, 0.9], [0, 0.9], [2, 0.6], [1, 0.9]]);
    assert.deepEqual(ctcGreedyDecode(scores, 6, 3, alphabet).characters, [
      { char: 'a', first: 0, last: 1 },
      { char: 'b', first: 4, last: 4 },
      { char: 'a', first: 5, last: 5 },
    ]);
  });

  it('keeps the last (space) class’s probability at every step, also where it lost', () => {
    const scores = steps([[1, 0.9], [0, 0.6], [2, 0.8]]);
    const { spaceProbabilities } = ctcGreedyDecode(scores, 3, 3, alphabet);
    assert.deepEqual([...spaceProbabilities].map((p) => Number(p.toFixed(2))), [0.05, 0.2, 0.8]);
    const logits = ctcGreedyDecode(Float32Array.from([0, 0, Math.log(2)]), 1, 3, alphabet);
    assert.ok(Math.abs(logits.spaceProbabilities[0]! - 0.5) < 1e-6, 'softmaxed from logits');
  });

  it('reads one sequence of a batch from its offset', () => {
    const batch = Float32Array.from([...steps([[1, 0.9], [0, 0.9]]), ...steps([[2, 0.8], [2, 0.8]])]);
    assert.equal(ctcGreedyDecode(batch, 2, 3, alphabet, 2 * 3).text, 'b');
  });

  it('answers an empty text with confidence 0 for all blanks, and refuses a dictionary of the wrong size', () => {
    const blank = ctcGreedyDecode(steps([[0, 0.9], [0, 0.9]]), 2, 3, alphabet);
    assert.deepEqual([blank.text, blank.confidence, blank.characters], ['', 0, []]);
    assert.throws(() => ctcGreedyDecode(new Float32Array(8), 2, 4, alphabet), /4 classes/);
  });
});

/**
 * Characters one step wide, each `gaps[i]` blank steps after the one before (1 when not given);
 * the space class has probability `spaces[i]` on the blank steps before character i (0 otherwise).
 */
function path(text: string, gaps: Record<number, number> = {}, spaces: Record<number, number> = {}): Pick<DecodedText, 'characters' | 'spaceProbabilities'> {
  let step = -1;
  const blanks: Array<[number, number]> = [];
  const characters = [...text].map((char, i) => {
    const gap = i === 0 ? 0 : (gaps[i] ?? 1);
    for (let t = step + 1; t <= step + gap; t++) blanks.push([t, spaces[i] ?? 0]);
    step += 1 + gap;
    return { char, first: step, last: step };
  });
  const spaceProbabilities = new Float32Array(step + 1);
  for (const [t, p] of blanks) spaceProbabilities[t] = p;
  return { characters, spaceProbabilities };
}

describe('insertWordGaps', () => {
  it('puts a space where the space class was likely on the blank steps between two Latin characters', () => {
    assert.equal(insertWordGaps(path('RuedelaPaix', {}, { 3: 0.4, 5: 0.3, 7: 0.12 })), 'Rue de la Paix');
    assert.equal(insertWordGaps(path('a1b', {}, { 2: SPACE_PROBABILITY })), 'a1 b', 'a short line too');
    assert.equal(insertWordGaps(path('3.20=6.40', {}, { 4: 0.3 })), '3.20 =6.40', 'before an equals sign (a receipt line)');
  });

  it('leaves gaps where it was unlikely as read, however wide', () => {
    assert.equal(insertWordGaps(path('allteas', {}, { 3: SPACE_PROBABILITY / 2 })), 'allteas');
    assert.equal(insertWordGaps(path('NW1', { 1: 6, 2: 6 })), 'NW1', 'a wide gap is not a space by itself');
  });

  it('takes a lower probability after punctuation, where "10:20" and "4.75" give the space class next to none', () => {
    const between = (p: number) => insertWordGaps(path('Paix,75002', {}, { 5: p }));
    assert.equal(between(SPACE_PROBABILITY_AFTER_PUNCTUATION * 1.5), 'Paix, 75002');
    assert.equal(between(SPACE_PROBABILITY_AFTER_PUNCTUATION / 4), 'Paix,75002');
    assert.equal(insertWordGaps(path('no,way', {}, { 2: 0.03 })), 'no,way', 'before the comma, the letters’ threshold');
  });

  it('never puts a space between CJK characters, nor between CJK and Latin', () => {
    assert.equal(insertWordGaps(path('价格是元', {}, { 1: 0.9, 2: 0.9 })), '价格是元');
    assert.equal(insertWordGaps(path('Price价格total', {}, { 5: 0.9, 7: 0.9 })), 'Price价格total');
  });

  it('does not double a space the recogniser emitted', () => {
    assert.equal(insertWordGaps(path('Flat 4,17', {}, { 4: 0.9, 5: 0.9 })), 'Flat 4,17');
    assert.equal(insertWordGaps(path('')), '');
  });
});

describe('lettersForZeros', () => {
  it('reads a zero in a word of letters as O at its start or after a capital, o elsewhere', () => {
    assert.equal(lettersForZeros('42 0ak Avenue'), '42 Oak Avenue');
    assert.equal(lettersForZeros('c0de B0X G00d'), 'code BOX Good');
  });

  it('leaves numbers, codes with other digits and one-letter words as read', () => {
    assert.equal(lettersForZeros('10am 2025-11-30 B2B0 x0 INV-2024-00317 0.5kg'), '10am 2025-11-30 B2B0 x0 INV-2024-00317 0.5kg');
  });
});
