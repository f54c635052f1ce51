import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ctcAlphabet, ctcGreedyDecode } from './ctc.js';

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

  it('reads one sequence of a batch from its offset', () => {
    const batch = Float32Array.from([...steps([[1, 0.9], [0, 0.9]]), ...steps([[2, 0.8], [2, 0.8]])]);
    assert.equal(ctcGreedyDecode(batch, 2, 3, alphabet, 2 * 3).text, 'b');
  });

  it('answers an empty text with confidence 0 for all blanks, and refuses a dictionary of the wrong size', () => {
    assert.deepEqual(ctcGreedyDecode(steps([[0, 0.9], [0, 0.9]]), 2, 3, alphabet), { text: '', confidence: 0 });
    assert.throws(() => ctcGreedyDecode(new Float32Array(8), 2, 4, alphabet), /4 classes/);
  });
});

describe('ctcAlphabet', () => {
  it('puts the blank first and the space last, with or without a final line break', () => {
    assert.deepEqual(ctcAlphabet('a\nb\n'), ['', 'a', 'b', ' ']);
    assert.deepEqual(ctcAlphabet('a\r\nb'), ['', 'a', 'b', ' ']);
  });
});
