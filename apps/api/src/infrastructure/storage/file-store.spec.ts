import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FileStore } from './file-store.js';

describe('FileStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'dlserve-store-')), 'nested', 'assets');
  });
  afterEach(async () => rm(join(dir, '..', '..'), { recursive: true, force: true }));

  it('creates its folder and writes the bytes under a generated name, leaving no temporary file', async () => {
    const store = new FileStore(dir);
    const name = await store.write('png', Buffer.from('hello'));
    assert.match(name, /\.png$/);
    assert.equal(await readFile(join(dir, name), 'utf8'), 'hello');
    assert.deepEqual(await readdir(dir), [name]);
  });

  it('removes only the names it generates', async () => {
    const store = new FileStore(dir);
    const name = await store.write('jpg', Buffer.from('x'));
    await writeFile(join(dir, 'keep.txt'), 'keep');
    await store.remove([name, 'keep.txt', '../keep.txt']);
    assert.deepEqual(await readdir(dir), ['keep.txt']);
  });

  it('writes all or nothing: a failing batch leaves none of its files', async () => {
    const store = new FileStore(dir);
    const kept = await store.writeAll(async (write) => [await write('png', Buffer.from('a')), await write('png', Buffer.from('b'))]);
    assert.equal(kept.length, 2);
    await assert.rejects(
      store.writeAll(async (write) => {
        await write('png', Buffer.from('c'));
        throw new Error('the third file was bad');
      }),
      /third file/,
    );
    assert.deepEqual((await readdir(dir)).sort(), [...kept].sort());
  });

  it('cleans up its temporary file when the write fails', async () => {
    const store = new FileStore(dir);
    await store.write('jpg', Buffer.from('x')); // creates the folder
    // A value writeFile refuses makes the write fail after the temporary file was opened.
    await assert.rejects(store.write('jpg', 42 as unknown as Uint8Array));
    const left = await readdir(dir);
    assert.equal(left.length, 1);
    assert.doesNotMatch(left[0] ?? '', /^\.partial/);
  });
});
