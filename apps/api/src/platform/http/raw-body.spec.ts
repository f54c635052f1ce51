import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { alignedBytes, readRawBody } from './raw-body.js';

/** A request whose body is `chunks`, with `content-length` unless `chunked`. */
function requestOf(chunks: Buffer[], chunked = false): IncomingMessage {
  const stream = new PassThrough() as unknown as IncomingMessage & PassThrough;
  const length = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  Object.assign(stream, { headers: chunked ? {} : { 'content-length': String(length) } });
  setImmediate(() => {
    for (const chunk of chunks) stream.write(chunk);
    stream.end();
  });
  return stream;
}

describe('readRawBody', () => {
  const header = Buffer.from('{"inputs":[]}'); // 13 bytes: what follows is not 8-aligned by itself
  const tensor = Buffer.from(new Float64Array([1.5, -2, 3.25]).buffer);

  for (const chunked of [false, true]) {
    it(`reads the whole body, the bytes after alignAt on an 8-byte boundary (${chunked ? 'chunked' : 'declared length'})`, async () => {
      const body = await readRawBody(requestOf([header.subarray(0, 5), header.subarray(5), tensor], chunked), 1024, header.length);
      assert.deepEqual(Buffer.from(body), Buffer.concat([header, tensor]));
      assert.equal((body.byteOffset + header.length) % 8, 0);
      // So a typed array over the tensor is a view of the body, not a copy.
      assert.deepEqual([...new Float64Array(body.buffer, body.byteOffset + header.length, 3)], [1.5, -2, 3.25]);
    });
  }

  it('refuses a body over the limit with 413 request_too_large', async () => {
    await assert.rejects(readRawBody(requestOf([Buffer.alloc(2048)], true), 1024), { code: 'request_too_large' });
  });
});

describe('alignedBytes', () => {
  it('pads the buffer so that byte alignAt is 8-aligned, and adds nothing when it already is', () => {
    for (const alignAt of [0, 1, 7, 8, 13, 16]) {
      const bytes = alignedBytes(10, alignAt);
      assert.equal(bytes.length, 10);
      assert.equal((bytes.byteOffset + alignAt) % 8, 0, `alignAt ${alignAt}`);
      assert.equal(bytes.buffer.byteLength - bytes.length, (8 - (alignAt % 8)) % 8);
    }
  });
});
