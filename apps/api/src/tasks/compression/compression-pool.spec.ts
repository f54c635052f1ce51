import type { OutputFormat } from '@dlserve/shared';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { AppConfig } from '../../platform/config/app-config.js';
import { AppError } from '../../platform/errors/app-error.js';
import { CompressionPool } from './compression-pool.js';

const settings = { format: 'auto', target: 0.985 } as const;

/** A noisy picture: slow enough to compress that it can be caught running. */
async function noisy(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 2654435761) >>> 24;
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
}

/** The bytes in memory of their own, as multer hands over an upload of more than a few KiB. */
function ownMemory(data: Uint8Array): Buffer {
  const memory = new ArrayBuffer(data.length);
  new Uint8Array(memory).set(data);
  return Buffer.from(memory);
}

async function waitFor(what: string, condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('CompressionPool', () => {
  let pool: CompressionPool;
  let jpeg: Buffer;
  before(async () => {
    pool = new CompressionPool(AppConfig.fromEnv({ COMPRESS_WORKERS: '1', COMPRESS_MAX_QUEUE: '2' }));
    jpeg = await sharp({ create: { width: 320, height: 200, channels: 3, background: '#3a7' } }).jpeg({ quality: 95 }).toBuffer();
  });
  after(() => pool.onApplicationShutdown());

  it('compresses on a worker, moving the upload there instead of copying it', async () => {
    const data = ownMemory(jpeg);
    const result = await pool.compress(data, settings);
    assert.equal(data.byteLength, 0, 'the bytes went to the worker');
    assert.ok(Buffer.isBuffer(result.data));
    assert.ok(result.data.length > 0 && result.data.length <= jpeg.length);
    const meta = await sharp(result.data).metadata();
    assert.deepEqual([meta.width, meta.height], [320, 200]);
    assert.deepEqual([result.width, result.height], [320, 200]);
  });

  it('copies a small upload first: it shares its memory with other buffers', async () => {
    const tiny = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#123' } }).png().toBuffer();
    const data = Buffer.from(tiny); // a slice of Node's shared buffer pool
    assert.notEqual(data.buffer.byteLength, data.byteLength);
    const neighbour = Buffer.from('in the same pool');
    await pool.compress(data, settings);
    assert.deepEqual(data, tiny, 'the slice is intact');
    assert.equal(neighbour.toString(), 'in the same pool');
  });

  it('turns an AppError in the worker back into the same AppError', async () => {
    const cut = ownMemory(jpeg.subarray(0, jpeg.length >> 1));
    const corrupt = await pool.compress(cut, settings).then(() => null, (error: unknown) => error);
    assert.ok(corrupt instanceof AppError, `an AppError, got ${String(corrupt)}`);
    assert.equal(corrupt.code, 'corrupt_image');
    assert.equal(corrupt.statusCode, 422);
    assert.match(corrupt.message, /damaged or incomplete/);

    const text = await pool.compress(Buffer.from('not a picture at all'), settings).then(() => null, (error: unknown) => error);
    assert.ok(text instanceof AppError);
    assert.equal(text.code, 'not_an_image');
  });

  it('lets any other failure arrive as a plain Error', async () => {
    const bogus = { ...settings, format: 'bmp' as OutputFormat };
    const error = await pool.compress(Buffer.from(jpeg), bogus).then(() => null, (e: unknown) => e);
    assert.ok(error instanceof Error, `an Error, got ${String(error)}`);
    assert.ok(!(error instanceof AppError));
    assert.equal((await pool.compress(Buffer.from(jpeg), settings)).width, 320, 'the worker goes on');
  });

  it('admits COMPRESS_MAX_QUEUE requests at a time, then refuses with busy until one is released', () => {
    const first = pool.admit();
    const second = pool.admit();
    assert.throws(() => pool.admit(), (error: unknown) => error instanceof AppError && error.code === 'busy' && error.statusCode === 503);
    first();
    first(); // a second release of the same request changes nothing
    const third = pool.admit();
    assert.throws(() => pool.admit(), /in hand/);
    second();
    third();
    assert.equal(pool.activity().requestsInHand, 0);
  });

  it('drops a waiting task when its signal aborts, and stops a running one on a worker that is replaced', async () => {
    const big = await noisy(1600, 1200);
    const running = new AbortController();
    const waiting = new AbortController();
    const [worker] = pool.activity().workers;
    const first = pool.compress(ownMemory(big), settings, running.signal).then(() => 'done', (error: unknown) => error);
    const queued = Buffer.from(jpeg);
    const second = pool.compress(queued, settings, waiting.signal).then(() => 'done', (error: unknown) => error);
    await waitFor('one task running and one waiting', () => pool.activity().tasksQueued === 1);

    waiting.abort(new Error('second client left'));
    assert.match(String(await second), /second client left/);
    assert.deepEqual(queued, jpeg, 'a dropped task never took the bytes');

    running.abort(new Error('first client left'));
    assert.match(String(await first), /first client left/);
    await waitFor('the stopped worker replaced', () => {
      const { workers } = pool.activity();
      return workers.length === 1 && workers[0] !== worker;
    });
    assert.deepEqual(pool.activity(), { requestsInHand: 0, tasksInFlight: 0, tasksQueued: 0, workers: pool.activity().workers });
    assert.equal((await pool.compress(Buffer.from(jpeg), settings)).width, 320, 'the new worker compresses');
  });
});
