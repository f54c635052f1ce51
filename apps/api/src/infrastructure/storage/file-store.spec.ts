import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
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

  it('makes its folder again when it was removed while running', async () => {
    const store = new FileStore(dir);
    await store.write('png', Buffer.from('first'));
    await rm(dir, { recursive: true });
    const name = await store.write('png', Buffer.from('second'));
    assert.equal(await readFile(join(dir, name), 'utf8'), 'second');
  });

  it('removes only the names it generates', async () => {
    const store = new FileStore(dir);
    const name = await store.write('jpg', Buffer.from('x'));
    await writeFile(join(dir, 'keep.txt'), 'keep');
    await store.remove([name, 'keep.txt', '../keep.txt']);
    assert.deepEqual(await readdir(dir), ['keep.txt']);
  });

  it('writes a keyed file under the same name again, replacing it (a job run twice leaves one copy), and reads it back', async () => {
    const store = new FileStore(dir);
    const first = await store.write('png', Buffer.from('first run'), { key: 'job-1/0/0' });
    const again = await store.write('png', Buffer.from('second run'), { key: 'job-1/0/0', durable: false });
    assert.equal(again, first);
    assert.deepEqual(await readdir(dir), [first]);
    assert.equal((await store.read(first)).toString(), 'second run');
    await assert.rejects(store.read('../etc/passwd'), /Refusing/);
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

describe('FileStore retention', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dlserve-sweep-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  /** Files of `bytes` each, written `agesSeconds` ago (the mtime is what the sweep reads). */
  async function filesAged(store: FileStore, agesSeconds: number[], bytes = 1000): Promise<string[]> {
    const names: string[] = [];
    for (const age of agesSeconds) {
      const name = await store.write('png', Buffer.alloc(bytes, 1));
      const when = new Date(Date.now() - age * 1000);
      await utimes(join(dir, name), when, when);
      names.push(name);
    }
    return names;
  }

  it('removes files older than the TTL, and only the names it generates', async () => {
    const store = new FileStore(dir);
    const [old, fresh] = await filesAged(store, [120, 5]);
    await writeFile(join(dir, 'not-ours.png'), 'x');
    await utimes(join(dir, 'not-ours.png'), new Date(0), new Date(0));
    const result = await store.sweep({ ttlMs: 60_000, maxBytes: 0 });
    assert.deepEqual([result.expired, result.overCap, result.bytes], [1, 0, 1000]);
    assert.deepEqual((await readdir(dir)).sort(), [fresh!, 'not-ours.png'].sort());
    assert.ok(!(await readdir(dir)).includes(old!));
  });

  it('keeps the folder under its size cap, oldest first; 0 turns TTL and cap off', async () => {
    const store = new FileStore(dir);
    const names = await filesAged(store, [50, 40, 30, 20, 10]);
    assert.deepEqual(await store.sweep({ ttlMs: 0, maxBytes: 0 }), { expired: 0, overCap: 0, bytes: 5000 });
    const result = await store.sweep({ ttlMs: 0, maxBytes: 2500 });
    assert.deepEqual([result.overCap, result.bytes], [3, 2000]);
    assert.deepEqual((await readdir(dir)).sort(), names.slice(3).sort(), 'the two newest kept');
  });

  it('removes the temporary files an interrupted write left, and nothing else', async () => {
    const store = new FileStore(dir);
    const [kept] = await filesAged(store, [0]);
    await writeFile(join(dir, '.partial-0123456789abcdef01234567'), 'half');
    await writeFile(join(dir, '.partial-not-ours'), 'x');
    assert.equal(await store.removeTemporaries(), 1);
    assert.deepEqual((await readdir(dir)).sort(), ['.partial-not-ours', kept!].sort());
  });

  it('on a shared folder, removes only the temporary files older than the age given (another node may be writing the others)', async () => {
    const store = new FileStore(dir);
    await store.write('png', Buffer.from('x')); // makes the folder
    const [crashed, writing] = ['.partial-00000000000000000000000a', '.partial-00000000000000000000000b'];
    await writeFile(join(dir, crashed), 'half');
    await utimes(join(dir, crashed), new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    await writeFile(join(dir, writing), 'in progress');
    assert.equal(await store.removeTemporaries({ olderThanMs: 600_000 }), 1);
    const left = await readdir(dir);
    assert.ok(left.includes(writing) && !left.includes(crashed));
  });

  it('sweeps a folder that does not exist yet as empty', async () => {
    const store = new FileStore(join(dir, 'missing'));
    assert.deepEqual(await store.sweep({ ttlMs: 1, maxBytes: 1 }), { expired: 0, overCap: 0, bytes: 0 });
    assert.equal(await store.removeTemporaries(), 0);
  });
});
