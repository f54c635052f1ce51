import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cer, charErrors, normaliseText } from './cer.js';

describe('bench CER', () => {
  it('collapses whitespace and line breaks to one space and trims', () => {
    assert.equal(normaliseText('  12 Market\n\n Street \t', 'en'), '12 Market Street');
    assert.equal(cer('Flat white\n3.40', 'Flat  white 3.40 ', 'en'), 0);
  });

  it('drops spaces in Chinese and folds full-width forms', () => {
    assert.equal(normaliseText('营 业 时 间 ：9:00', 'zh'), '营业时间:9:00');
    assert.equal(cer('价格：￥１２', '价格: ¥12', 'zh'), 0);
    assert.equal(cer('hello world', 'helloworld', 'en'), 1 / 11);
  });

  it('divides by the reference length; an empty reference is 0 or 1', () => {
    assert.deepEqual(charErrors('abcd', 'abxd', 'en'), { edits: 1, length: 4 });
    assert.equal(cer('abcd', '', 'en'), 1);
    assert.equal(cer('ab', 'abcdef', 'en'), 2);
    assert.equal(cer('', '', 'en'), 0);
    assert.equal(cer(' ', 'x', 'en'), 1);
  });
});
