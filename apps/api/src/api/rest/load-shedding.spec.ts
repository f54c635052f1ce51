import type { ApiError } from '@dlserve/shared';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { NextFunction, Request, Response } from 'express';
import { ApiKeys } from '../../platform/access/api-key.guard.js';
import { AppConfig } from '../../platform/config/app-config.js';
import type { ModelRegistry } from '../../serving/lifecycle/model-registry.js';
import { AdmissionLimit } from '../../serving/scheduler/admission-limit.js';
import type { CompressionPool } from '../../tasks/compression/compression-pool.js';
import { LoadShedding } from './load-shedding.js';

/** One model, 'slow', whose queue of one is full; the compressor's queue of one is free. */
function shedding(env: Record<string, string> = {}): LoadShedding {
  const full = new AdmissionLimit(1, "The model 'slow'", 7);
  full.take();
  const registry = { refusal: (name: string) => (name === 'slow' ? full.refusal() : null), defaultModelName: () => 'slow' };
  const compressor = new AdmissionLimit(1, 'The compressor', 7);
  return new LoadShedding(registry as unknown as ModelRegistry, compressor as unknown as CompressionPool, new ApiKeys(AppConfig.fromEnv(env)));
}

/** The middleware on a bare HTTP server; what gets past it answers 200 "passed". */
async function serve(shed: LoadShedding): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    Object.assign(request, { path: new URL(request.url!, 'http://x').pathname });
    Object.assign(response, { locals: {} }); // as Express gives every response
    shed.middleware(request as Request, response as Response, (() => response.end('passed')) as NextFunction);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const upload = (url: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', body: new Uint8Array(256 * 1024), headers: { 'content-type': 'application/octet-stream', ...headers } });

describe('LoadShedding', () => {
  let open: { server: Server; url: string };
  let keyed: { server: Server; url: string };
  before(async () => {
    open = await serve(shedding());
    keyed = await serve(shedding({ API_KEYS: 'the-key' }));
  });
  after(() => {
    open.server.close();
    keyed.server.close();
  });

  it('answers 503 busy with Retry-After for a full model, by name, encoded name and /api/process, after reading the body', async () => {
    for (const path of ['/api/models/slow', '/api/models/sl%6Fw/', '/api/process']) {
      const answer = await upload(`${open.url}${path}`, { connection: 'close' });
      assert.equal(answer.status, 503, path);
      assert.equal(answer.headers.get('retry-after'), '7');
      assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
      const body = (await answer.json()) as ApiError;
      assert.deepEqual([body.statusCode, body.error], [503, 'busy']);
      assert.match(body.message, /The model 'slow' has 1 requests in hand/);
    }
  });

  it('lets through what it does not refuse: other models, the free compressor, GETs, malformed names', async () => {
    for (const path of ['/api/models/other', '/api/compress', '/api/models/%E0%A4%A', '/api/models/slow/examples/x.png']) {
      const answer = await upload(`${open.url}${path}`);
      assert.equal(await answer.text(), 'passed', path);
    }
    assert.equal(await (await fetch(`${open.url}/api/models/slow`)).text(), 'passed');
  });

  it('with API_KEYS, refuses busy only a request with a valid key: the others go on to their 401', async () => {
    assert.equal(await (await upload(`${keyed.url}/api/models/slow`)).text(), 'passed');
    assert.equal(await (await upload(`${keyed.url}/api/models/slow`, { 'x-api-key': 'wrong' })).text(), 'passed');
    assert.equal((await upload(`${keyed.url}/api/models/slow`, { 'x-api-key': 'the-key' })).status, 503);
    assert.equal((await upload(`${keyed.url}/api/models/slow`, { authorization: 'Bearer the-key' })).status, 503);
  });

  it('answers a Connection: close client at once, before its body, and reads the rest without resetting it', async () => {
    const { port } = new URL(open.url);
    const socket = connect(Number(port), '127.0.0.1');
    const total = 8 * 1024 * 1024;
    socket.write(`POST /api/models/slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/octet-stream\r\nContent-Length: ${total}\r\n\r\n`);
    socket.write(Buffer.alloc(1024));
    let answer = '';
    let failure: Error | null = null;
    socket.on('error', (error) => (failure = error));
    await new Promise<void>((resolve) => socket.on('data', (chunk: Buffer) => ((answer += chunk.toString()), /\r\n\r\n.*\}$/s.test(answer) && resolve())));
    assert.match(answer, /^HTTP\/1\.1 503 /, 'answered with 1 KiB of 8 MiB sent');
    // The rest of the body, after the answer: the server keeps reading it.
    const closed = new Promise((resolve) => socket.once('close', resolve));
    for (let sent = 1024; sent < total && !socket.destroyed; sent += 256 * 1024) {
      if (!socket.write(Buffer.alloc(Math.min(256 * 1024, total - sent)))) await Promise.race([new Promise((resolve) => socket.once('drain', resolve)), closed]);
    }
    socket.end();
    await closed;
    assert.equal(failure, null, 'no reset, no broken pipe');
  });
});
