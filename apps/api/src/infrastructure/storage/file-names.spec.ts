import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateFileName, isGeneratedFileName, keyedFileName } from './file-names.js';

describe('generateFileName', () => {
  it('makes URL-safe names with 128 random bits and the given extension', () => {
    const name = generateFileName('webp');
    assert.match(name, /^[A-Za-z0-9_-]{22}\.webp$/);
    assert.ok(isGeneratedFileName(name));
  });

  it('never repeats a name', () => {
    const names = new Set(Array.from({ length: 10_000 }, () => generateFileName('jpg')));
    assert.equal(names.size, 10_000);
  });

  it('refuses extensions that could smuggle a path', () => {
    for (const bad of ['', '../x', 'a/b', 'JPG', 'x.y', 'averyverylongext']) {
      assert.throws(() => generateFileName(bad), /Refusing/);
    }
  });

  it('recognises only generated names', () => {
    for (const name of ['../../etc/passwd', 'cat.jpg', '.tmp-abc', 'a'.repeat(22) + '.JPG']) {
      assert.equal(isGeneratedFileName(name), false, name);
    }
  });
});

describe('keyedFileName', () => {
  it('gives a key the same generated-looking name every time, and other keys other names', () => {
    const name = keyedFileName('3f1c…job/0/0', 'png');
    assert.ok(isGeneratedFileName(name));
    assert.equal(keyedFileName('3f1c…job/0/0', 'png'), name);
    assert.notEqual(keyedFileName('3f1c…job/0/1', 'png'), name);
    assert.throws(() => keyedFileName('key', '../x'), /Refusing/);
  });
});
