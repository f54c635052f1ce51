import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cer, editDistance } from './cer.js';

describe('editDistance / cer', () => {
  it('counts insertions, deletions and substitutions', () => {
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('abc', 'abc'), 0);
    assert.equal(editDistance('𠀋a', 'a'), 1); // one astral character, two UTF-16 units
  });

  it('counts code points, not UTF-16 units, and divides by the reference length', () => {
    assert.equal(cer('今天天气', '今天气'), 0.25);
    assert.equal(cer('hello', 'hello'), 0);
    assert.equal(cer('', ''), 0);
  });
});
