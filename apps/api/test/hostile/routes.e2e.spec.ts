import type { ApiError } from '@dlserve/shared';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import request from 'supertest';
import { startTestApp, type TestApp } from '../app.js';

const MODELS_DIR = fileURLToPath(new URL('../../../../../models/', import.meta.url));
const MODEL = 'esrgan-slim-x2';
const SECRET = 'secret-outside-the-stores';

interface RawAnswer {
  status: number;
  type: string;
  body: string;
}

/** A request whose path goes on the wire exactly as written (no normalising of `..` or `%2e`). */
function rawGet(port: number, path: string, method = 'GET'): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer to ${method} ${path} within 5 s`)));
    req.on('error', reject);
    req.end();
  });
}

/** Bytes straight onto a socket: the answer's status line and body, or a failure after 5 s. */
function rawExchange(port: number, head: string, body: Buffer | string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within 5 s (got ${JSON.stringify(data.slice(0, 200))})`));
    }, 5000);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      data += chunk;
      const end = data.indexOf('\r\n\r\n');
      const length = /content-length: *(\d+)/i.exec(data)?.[1];
      if (end >= 0 && length !== undefined && data.length >= end + 4 + Number(length)) {
        clearTimeout(timer);
        socket.destroy();
        const status = Number(/^HTTP\/1\.1 (\d+)/.exec(data)?.[1] ?? 0);
        const type = /content-type: *([^\r\n]+)/i.exec(data)?.[1] ?? '';
        resolve({ status, type, body: data.slice(end + 4) });
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.write(head);
    socket.write(body);
  });
}

function multipartHead(path: string, contentType: string, length: number): string {
  return `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: ${contentType}\r\nContent-Length: ${length}\r\n\r\n`;
}

function assertJsonError(answer: RawAnswer, statuses: number[], what: string): ApiError {
  assert.ok(statuses.includes(answer.status), `${what}: ${answer.status} ${answer.body.slice(0, 300)}`);
  assert.match(answer.type, /application\/json/, `${what}: a JSON error`);
  const body = JSON.parse(answer.body) as ApiError;
  assert.equal(typeof body.error, 'string', what);
  assert.ok(body.message.length > 5, what);
  assert.doesNotMatch(answer.body, new RegExp(SECRET), `${what}: nothing from outside the stores`);
  return body;
}

describe('route parameters and malformed multipart', () => {
  let t: TestApp;
  let port: number;
  let png: Buffer;

  before(async () => {
    t = await startTestApp({ MODELS_DIR, MODELS: MODEL });
    await new Promise<void>((resolve) => t.http.listen(0, '127.0.0.1', resolve));
    port = (t.http.address() as { port: number }).port;
    // A file next to the stores, and one in the repository, that no request may reach.
    await writeFile(join(dirname(t.config.assetsDir), 'secret.txt'), SECRET);
    png = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#345' } }).png().toBuffer();
  });
  after(() => t.close());

  const TRAVERSALS = [
    '../secret.txt',
    '..%2fsecret.txt',
    '%2e%2e%2fsecret.txt',
    '%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '..%5csecret.txt',
    '..\\secret.txt',
    '%00',
    'x%00.png',
    'AAAAAAAAAAAAAAAAAAAAAA.png%00.txt',
    '%2fetc%2fpasswd',
    '/etc/passwd',
    'C:%5cWindows%5cwin.ini',
    '....%2f%2f....%2f%2fsecret.txt',
    '%252e%252e%252fsecret.txt',
    '%c0%ae%c0%ae%2fsecret.txt',
    '%',
  ];

  it('answers traversal, encoded traversal, NUL bytes, absolute paths and backslashes with a 400/404 JSON error', async () => {
    for (const name of TRAVERSALS) {
      for (const [method, path] of [
        ['GET', `/assets/${name}`],
        ['GET', `/api/jobs/${name}`],
        ['DELETE', `/api/jobs/${name}`],
        ['GET', `/api/jobs/${name}/events`],
        ['GET', `/api/models/${name}`],
        ['GET', `/api/models/${MODEL}/examples/${name}`],
      ] as const) {
        const answer = await rawGet(port, path, method);
        assertJsonError(answer, [400, 404], `${method} ${path}`);
      }
    }
  });

  it('refuses a model name with traversal on upload before reading anything from disk', async () => {
    for (const name of ['..%2f..%2fetc', '%2e%2e', 'ocr%00', '..%5cmodels']) {
      const response = await request(`http://127.0.0.1:${port}`).post(`/api/models/${name}`).attach('the_file', png, 'a.png');
      assert.ok([400, 404].includes(response.status), `${name}: ${response.status}`);
      assert.equal(typeof (response.body as ApiError).error, 'string');
    }
    assert.deepEqual(await t.filesOnDisk(), { assets: [], uploads: [] });
  });

  it('answers malformed multipart with a 400/413 JSON error, never a hang', async () => {
    const boundary = 'XyZzYboundary';
    const part = (field: string, filename: string, content: Buffer | string, extraHeaders = '') =>
      Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\n${extraHeaders}Content-Type: image/png\r\n\r\n`),
        Buffer.isBuffer(content) ? content : Buffer.from(content),
        Buffer.from('\r\n'),
      ]);
    const end = Buffer.from(`--${boundary}--\r\n`);
    const ok = `multipart/form-data; boundary=${boundary}`;
    const cases: Array<[string, string, Buffer, number[]]> = [
      ['no boundary', 'multipart/form-data', Buffer.concat([part('the_file', 'a.png', png), end]), [400]],
      ['not multipart at all', 'application/json', Buffer.from('{"the_file":"a.png"}'), [400]],
      ['no content type', '', Buffer.concat([part('the_file', 'a.png', png), end]), [400]],
      ['unterminated part', ok, part('the_file', 'a.png', png).subarray(0, 200), [400]],
      ['no closing boundary', ok, part('the_file', 'a.png', png), [400]],
      ['wrong field name', ok, Buffer.concat([part('image', 'a.png', png), end]), [400]],
      ['empty body', ok, Buffer.alloc(0), [400]],
      ['only the closing boundary', ok, end, [400]],
      ['a huge part header', ok, Buffer.concat([part('the_file', 'a.png', png, `X-Junk: ${'j'.repeat(200_000)}\r\n`), end]), [400, 413]],
      ['thousands of header lines in a part', ok, Buffer.concat([part('the_file', 'a.png', png, 'X-A: b\r\n'.repeat(5000)), end]), [400, 413]],
      ['too many parts', ok, Buffer.concat([...Array.from({ length: 300 }, (_, i) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\nv\r\n`)), end]), [400, 413]],
      ['too many files', ok, Buffer.concat([...Array.from({ length: 30 }, (_, i) => part('the_file', `${i}.png`, png)), end]), [413]],
      ['a part without Content-Disposition', ok, Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Type: image/png\r\n\r\n`), png, Buffer.from('\r\n'), end]), [400]],
      ['a huge text field', ok, Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="format"\r\n\r\n${'x'.repeat(100_000)}\r\n`), part('the_file', 'a.png', png), end]), [400, 413]],
      ['a garbage body', ok, Buffer.from('\0\x01\x02garbage'.repeat(100)), [400]],
    ];
    for (const endpoint of ['/api/compress', `/api/models/${MODEL}`]) {
      for (const [what, type, body, statuses] of cases) {
        const head = multipartHead(endpoint, type, body.length).replace('Content-Type: \r\n', '');
        const error = assertJsonError(await rawExchange(port, head, body), statuses, `${what} → ${endpoint}`);
        if (process.env.DEBUG_HOSTILE) console.log(what, endpoint, error.statusCode, error.error, error.message.slice(0, 90));
      }
    }
    await request(`http://127.0.0.1:${port}`).get('/api/health').expect(200);
    assert.deepEqual(await t.filesOnDisk(), { assets: [], uploads: [] });
  });

  it('holds each model to its manifest limits, from the header, with a message naming the limit and the size', async () => {
    const client = request(`http://127.0.0.1:${port}`);
    // 2500×2000 = 5 MP: within the server's 40 MP, over esrgan-slim-x2's 4 MP in (and 16 MP out).
    const big = await sharp({ create: { width: 2500, height: 2000, channels: 3, background: '#777' } }).png().toBuffer();
    for (const query of ['', '?async=1']) {
      const response = await client.post(`/api/models/${MODEL}${query}`).attach('the_file', big, 'big.png').expect(413);
      const body = response.body as ApiError;
      assert.equal(body.error, 'image_too_large');
      assert.match(body.message, /4 megapixels.*2500×2000 pixels \(5 MP\)/);
      assert.equal(body.file, 'big.png');
    }
    const thin = await sharp({ create: { width: 400, height: 4, channels: 3, background: '#777' } }).png().toBuffer();
    const response = await client.post(`/api/models/${MODEL}`).attach('the_file', thin, 'thin.png').expect(422);
    assert.match((response.body as ApiError).message, /at least 8 pixels a side.*400×4/);
    assert.deepEqual(await t.filesOnDisk(), { assets: [], uploads: [] });
  });
});
