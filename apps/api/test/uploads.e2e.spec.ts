import type { ApiError, UploadsResponse } from '@dlserve/shared';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { startTestApp, type TestApp } from './app.js';
import { imageKinds } from './images.js';

describe('POST /api/uploads', () => {
  let t: TestApp;
  let kinds: Record<string, Buffer>;
  before(async () => {
    t = await startTestApp();
    kinds = await imageKinds();
  });
  after(() => t.close());

  it('keeps each file byte for byte under a generated name with the type detected from its bytes', async () => {
    const response = await request(t.http)
      .post('/api/uploads')
      // The client's name and MIME type lie: the stored type comes from the bytes.
      .attach('the_file', kinds['picture.webp']!, { filename: '../../etc/evil.jpg', contentType: 'image/jpeg' })
      .attach('the_file', kinds['alpha.png']!, 'alpha.png')
      .expect(201);
    const { uploads } = response.body as UploadsResponse;
    assert.equal(uploads.length, 2);
    const [webp, png] = uploads;
    assert.equal(webp!.name, 'evil.jpg', 'the client name, without its path, is echoed for display only');
    assert.match(webp!.id, /^[A-Za-z0-9_-]{22}\.webp$/);
    assert.deepEqual([webp!.format, webp!.mimeType, webp!.width, webp!.height], ['webp', 'image/webp', 240, 160]);
    assert.deepEqual([png!.format, png!.mimeType], ['png', 'image/png']);
    assert.deepEqual((await t.filesOnDisk()).uploads.sort(), [webp!.id, png!.id].sort());
    assert.deepEqual(await readFile(join(t.config.uploadsDir, webp!.id)), kinds['picture.webp']);
    assert.equal(webp!.bytes, kinds['picture.webp']!.length);
  });

  it('keeps nothing when one file of the request is not an image', async () => {
    const before = await t.filesOnDisk();
    const response = await request(t.http)
      .post('/api/uploads')
      .attach('the_file', kinds['photo.jpg']!, 'ok.jpg')
      .attach('the_file', Buffer.from('%PDF-1.7 not really'), 'doc.pdf')
      .expect(415);
    assert.equal((response.body as ApiError).file, 'doc.pdf');
    assert.deepEqual(await t.filesOnDisk(), before);
  });

  it('does not serve kept uploads', async () => {
    const response = await request(t.http).post('/api/uploads').attach('the_file', kinds['grey.png']!, 'g.png').expect(201);
    const { id } = (response.body as UploadsResponse).uploads[0]!;
    await request(t.http).get(`/assets/${id}`).expect(404);
  });
});
