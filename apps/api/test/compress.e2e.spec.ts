import type { ApiError, CompressResponse } from '@dlserve/shared';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import request from 'supertest';
import { lumaPlane, ssim } from '../src/tasks/compression/ssim.js';
import { startTestApp, type TestApp } from './app.js';
import { displayedPixels, imageKinds, readPhoto } from './images.js';

const MIME: Record<string, string> = { jpeg: 'image/jpeg', webp: 'image/webp', avif: 'image/avif', png: 'image/png', gif: 'image/gif' };

async function measuredSsim(original: Buffer, result: Buffer): Promise<number> {
  const a = await displayedPixels(original);
  const b = await displayedPixels(result);
  assert.equal(b.width, a.width);
  assert.equal(b.height, a.height);
  assert.equal(b.channels, a.channels, 'alpha is kept exactly when the original has it');
  return ssim(lumaPlane(a.pixels, a.width, a.height, a.channels), lumaPlane(b.pixels, b.width, b.height, b.channels));
}

function expectError(body: ApiError, status: number, code: ApiError['error'], file?: string): void {
  assert.equal(body.statusCode, status);
  assert.equal(body.error, code);
  assert.ok(body.message.length > 10, `a message that explains: ${body.message}`);
  assert.equal(body.file, file);
}

describe('POST /api/compress', () => {
  let t: TestApp;
  let kinds: Record<string, Buffer>;
  before(async () => {
    t = await startTestApp({ MAX_FILE_BYTES: String(2 * 1024 * 1024), MAX_FILES: '12', MAX_REQUEST_BYTES: String(20 * 1024 * 1024) });
    kinds = await imageKinds();
  });
  after(() => t.close());

  it('compresses every kind of image in one request, each result smaller or equal and at the SSIM target', async () => {
    const names = Object.keys(kinds);
    const upload = request(t.http).post('/api/compress');
    for (const name of names) upload.attach('the_file', kinds[name]!, name);
    const response = await upload.expect(200).expect('Content-Type', /json/);
    const body = response.body as CompressResponse;

    assert.equal(body.files.length, names.length);
    assert.equal(body.result, body.files[0]!.result, 'top-level result is the first file’s URL');
    for (const [i, file] of body.files.entries()) {
      const original = kinds[names[i]!]!;
      assert.equal(file.name, names[i]);
      assert.match(file.result, /^\/assets\/[A-Za-z0-9_-]{22}\.(jpg|webp|avif|png|gif)$/);
      const onDisk = await readFile(join(t.config.assetsDir, file.result.slice('/assets/'.length)));
      assert.equal(onDisk.length, file.bytesOut);
      assert.equal(file.bytesIn, original.length);
      assert.ok(file.bytesOut <= file.bytesIn, `${file.name}: ${file.bytesOut} > ${file.bytesIn}`);
      const meta = await sharp(onDisk).metadata();
      assert.equal(MIME[meta.format === 'heif' ? 'avif' : meta.format!], MIME[file.format]);
      assert.equal(meta.width, file.width);
      assert.equal(meta.height, file.height);
      assert.equal(meta.orientation ?? 1, 1, 'orientation is applied, not left in metadata');
      assert.equal(meta.exif, undefined, `${file.name}: metadata stripped`);
      if (!file.keptOriginal) {
        const measured = await measuredSsim(original, onDisk);
        assert.ok(measured >= 0.985 - 1e-6, `${file.name}: SSIM ${measured} < 0.985`);
        assert.ok(Math.abs(measured - file.ssim) < 1e-3, `${file.name}: reported ${file.ssim}, measured ${measured}`);
      }
      assert.ok(file.ms >= 0);
    }
    const rotated = body.files[names.indexOf('rotated.jpg')]!;
    assert.deepEqual([rotated.width, rotated.height], [200, 300], 'EXIF orientation 6 is applied');
    const alpha = body.files[names.indexOf('alpha.png')]!;
    assert.ok(['webp', 'avif', 'png'].includes(alpha.format), `alpha kept, got ${alpha.format}`);
  });

  it('serves each result at its URL with the right Content-Type', async () => {
    const response = await request(t.http).post('/api/compress').attach('the_file', kinds['photo.png']!, 'photo.png').expect(200);
    const file = (response.body as CompressResponse).files[0]!;
    const served = await request(t.http).get(file.result).expect(200);
    assert.equal(served.headers['content-type'], MIME[file.format]);
    assert.match(served.headers['cache-control'] ?? '', /immutable/);
    assert.equal(Number(served.headers['content-length']), file.bytesOut);
  });

  it('honours a forced format, a target and a maximum size given as fields or query parameters', async () => {
    const photo = await readPhoto('coffee.png'); // 600×400
    const response = await request(t.http)
      .post('/api/compress?target=0.99')
      .field('format', 'jpeg')
      .field('maxWidth', '300')
      .attach('the_file', photo, 'coffee.png')
      .expect(200);
    const file = (response.body as CompressResponse).files[0]!;
    assert.equal(file.format, 'jpeg');
    assert.deepEqual([file.width, file.height], [300, 200]);
    assert.ok(file.ssim >= 0.99);

    const small = await request(t.http)
      .post('/api/compress')
      .field('maxWidth', '5000')
      .field('maxHeight', '5000')
      .attach('the_file', photo, 'coffee.png')
      .expect(200);
    const unchanged = (small.body as CompressResponse).files[0]!;
    assert.deepEqual([unchanged.width, unchanged.height], [600, 400], 'never enlarges');
  });

  it('refuses each kind of bad input with the one error shape, and leaves nothing on disk', async () => {
    const jpeg = kinds['photo.jpg']!;
    const cases: Array<{ what: string; send: () => request.Test; status: number; code: ApiError['error']; file?: string }> = [
      {
        what: 'a text file named .jpg, sent as image/jpeg',
        send: () => request(t.http).post('/api/compress').attach('the_file', Buffer.from('hello, I am not a picture\n'), { filename: 'fake.jpg', contentType: 'image/jpeg' }),
        status: 415,
        code: 'not_an_image',
        file: 'fake.jpg',
      },
      {
        what: 'a truncated JPEG',
        send: () => request(t.http).post('/api/compress').attach('the_file', jpeg.subarray(0, Math.floor(jpeg.length / 2)), 'cut.jpg'),
        status: 422,
        code: 'corrupt_image',
        file: 'cut.jpg',
      },
      {
        what: 'zero bytes',
        send: () => request(t.http).post('/api/compress').attach('the_file', Buffer.alloc(0), 'empty.png'),
        status: 400,
        code: 'empty_file',
        file: 'empty.png',
      },
      {
        what: 'no file at all',
        send: () => request(t.http).post('/api/compress').field('format', 'webp'),
        status: 400,
        code: 'no_file',
      },
      {
        what: 'a plain POST with no multipart body',
        send: () => request(t.http).post('/api/compress').set('Content-Type', 'application/json').send('{"the_file": 1}'),
        status: 400,
        code: 'no_file',
      },
      {
        what: 'the wrong field name',
        send: () => request(t.http).post('/api/compress').attach('file', jpeg, 'photo.jpg'),
        status: 400,
        code: 'unexpected_field',
        file: 'photo.jpg',
      },
      {
        what: 'a file over MAX_FILE_BYTES',
        send: () => request(t.http).post('/api/compress').attach('the_file', Buffer.alloc(2 * 1024 * 1024 + 1, 7), 'huge.jpg'),
        status: 413,
        code: 'file_too_large',
        file: 'huge.jpg',
      },
      {
        what: 'more than MAX_FILES files',
        send: () => {
          const upload = request(t.http).post('/api/compress');
          for (let i = 0; i < 13; i++) upload.attach('the_file', jpeg, `p${i}.jpg`);
          return upload;
        },
        status: 413,
        code: 'too_many_files',
      },
      {
        what: 'files each within MAX_FILE_BYTES and MAX_FILES, together over MAX_REQUEST_BYTES',
        send: () => {
          const upload = request(t.http).post('/api/compress');
          for (let i = 0; i < 11; i++) upload.attach('the_file', Buffer.alloc(2 * 1024 * 1024, i), `p${i}.jpg`);
          return upload;
        },
        status: 413,
        code: 'request_too_large',
      },
      {
        what: 'the same body sent chunked, with no Content-Length to refuse it by',
        send: () => {
          const boundary = 'dlserve-chunked';
          const parts = Array.from({ length: 11 }, (_, i) =>
            Buffer.concat([
              Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="the_file"; filename="p${i}.jpg"\r\n\r\n`),
              Buffer.alloc(2 * 1024 * 1024, i),
              Buffer.from('\r\n'),
            ]),
          );
          const upload = request(t.http).post('/api/compress').set('Content-Type', `multipart/form-data; boundary=${boundary}`).set('Transfer-Encoding', 'chunked');
          for (const part of parts) upload.write(part);
          upload.write(Buffer.from(`--${boundary}--\r\n`));
          return upload;
        },
        status: 413,
        code: 'request_too_large',
      },
      {
        what: 'an unknown format',
        send: () => request(t.http).post('/api/compress').field('format', 'bmp').attach('the_file', jpeg, 'photo.jpg'),
        status: 400,
        code: 'invalid_option',
      },
      {
        what: 'a good image followed by a bad one',
        send: () =>
          request(t.http)
            .post('/api/compress')
            .attach('the_file', jpeg, 'good.jpg')
            .attach('the_file', Buffer.from('<html>not an image</html>'), 'bad.png'),
        status: 415,
        code: 'not_an_image',
        file: 'bad.png',
      },
    ];
    const before = await t.filesOnDisk();
    for (const c of cases) {
      const response = await c.send();
      assert.equal(response.status, c.status, `${c.what}: ${JSON.stringify(response.body)}`);
      assert.match(response.headers['content-type'] ?? '', /json/, c.what);
      expectError(response.body as ApiError, c.status, c.code, c.file);
      assert.deepEqual(await t.filesOnDisk(), before, `${c.what}: nothing left behind`);
    }
    await request(t.http).get('/api/health').expect(200);
  });

  it('answers unknown routes and missing assets with the same error shape', async () => {
    expectError((await request(t.http).get('/api/nope').expect(404)).body as ApiError, 404, 'not_found');
    expectError((await request(t.http).get('/assets/AAAAAAAAAAAAAAAAAAAAAA.webp').expect(404)).body as ApiError, 404, 'not_found');
  });
});
