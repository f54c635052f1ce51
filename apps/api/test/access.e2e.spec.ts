import type { ApiError } from '@dlserve/shared';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { startTestApp, type TestApp } from './app.js';
import { AssetsStore } from '../src/infrastructure/storage/file-store.js';

describe('security headers and CORS (defaults: CORS off)', () => {
  let t: TestApp;
  before(async () => (t = await startTestApp()));
  after(() => t.close());

  it('sends helmet’s headers and a CSP the app can run under, on the API and on assets (nosniff)', async () => {
    const health = await request(t.http).get('/api/health').expect(200);
    assert.equal(health.headers['x-content-type-options'], 'nosniff');
    assert.equal(health.headers['x-frame-options'], 'SAMEORIGIN');
    const csp = health.headers['content-security-policy'] ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/, 'no inline or remote scripts');
    assert.match(csp, /img-src 'self' data: blob:/);
    assert.doesNotMatch(csp, /upgrade-insecure-requests/);
    assert.equal(health.headers['x-powered-by'], undefined);

    const name = await t.app.get(AssetsStore).write('png', Buffer.from('not really a png'));
    const asset = await request(t.http).get(`/assets/${name}`).expect(200);
    assert.equal(asset.headers['x-content-type-options'], 'nosniff');
    assert.equal(asset.headers['cross-origin-resource-policy'], 'same-origin');
  });

  it('answers no CORS headers to another origin', async () => {
    const answer = await request(t.http).get('/api/models').set('Origin', 'https://elsewhere.example').expect(200);
    assert.equal(answer.headers['access-control-allow-origin'], undefined);
  });
});

describe('CORS_ORIGINS', () => {
  let t: TestApp;
  before(async () => (t = await startTestApp({ CORS_ORIGINS: 'https://app.example, https://other.example' })));
  after(() => t.close());

  it('allows the listed origins only, preflight included', async () => {
    const allowed = await request(t.http).get('/api/models').set('Origin', 'https://app.example').expect(200);
    assert.equal(allowed.headers['access-control-allow-origin'], 'https://app.example');
    const preflight = await request(t.http)
      .options('/api/models/x')
      .set('Origin', 'https://other.example')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'x-api-key');
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], 'https://other.example');
    assert.match(preflight.headers['access-control-allow-headers'] ?? '', /X-API-Key/i);
    const refused = await request(t.http).get('/api/models').set('Origin', 'https://evil.example').expect(200);
    assert.equal(refused.headers['access-control-allow-origin'], undefined);
  });
});

describe('API_KEYS', () => {
  let t: TestApp;
  before(async () => (t = await startTestApp({ API_KEYS: 'first-key,second-key' })));
  after(() => t.close());

  it('needs a key on /api/*, as a Bearer token or X-API-Key; health and assets stay open', async () => {
    const missing = await request(t.http).get('/api/models').expect(401);
    assert.equal((missing.body as ApiError).error, 'unauthorized');
    assert.match(missing.headers['www-authenticate'] ?? '', /^Bearer/);
    for (const [header, value] of [
      ['Authorization', 'Bearer wrong-key'],
      ['Authorization', 'Bearer first-key-and-more'],
      ['Authorization', 'Basic Zmlyc3Qta2V5'],
      ['X-API-Key', 'second'],
    ] as const) {
      const wrong = await request(t.http).get('/api/models').set(header, value).expect(401);
      assert.equal((wrong.body as ApiError).error, 'unauthorized', `${header}: ${value}`);
    }
    await request(t.http).get('/api/models').set('Authorization', 'Bearer second-key').expect(200);
    await request(t.http).get('/api/models').set('X-API-Key', 'first-key').expect(200);
    // Refused before the upload is read or checked.
    const upload = await request(t.http).post('/api/compress').attach('the_file', Buffer.from('x'), 'x.png').expect(401);
    assert.equal((upload.body as ApiError).error, 'unauthorized');
    await request(t.http).get('/api/health').expect(200);
    await request(t.http).get('/api/nothing-here').set('X-API-Key', 'first-key').expect(404);
  });
});

describe('rate limit per client address', () => {
  it('answers 429 rate_limited with Retry-After past RATE_LIMIT_MAX; X-Forwarded-For is ignored unless TRUST_PROXY', async () => {
    const t = await startTestApp({ RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_SECONDS: '60' });
    try {
      for (let i = 0; i < 3; i++) await request(t.http).get('/api/models').set('X-Forwarded-For', `203.0.113.${i}`).expect(200);
      const limited = await request(t.http).get('/api/models').set('X-Forwarded-For', '203.0.113.99').expect(429);
      const body = limited.body as ApiError;
      assert.deepEqual([body.statusCode, body.error], [429, 'rate_limited']);
      assert.match(body.message, /at most 3 per 60 s/);
      assert.ok(Number(limited.headers['retry-after']) > 0, `Retry-After: ${limited.headers['retry-after']}`);
      for (let i = 0; i < 10; i++) await request(t.http).get('/api/health').expect(200);
    } finally {
      await t.close();
    }
  });

  it('with TRUST_PROXY, counts each forwarded client on its own', async () => {
    const t = await startTestApp({ RATE_LIMIT_MAX: '2', TRUST_PROXY: 'loopback' });
    try {
      for (const client of ['198.51.100.1', '198.51.100.2']) {
        await request(t.http).get('/api/models').set('X-Forwarded-For', client).expect(200);
        await request(t.http).get('/api/models').set('X-Forwarded-For', client).expect(200);
        await request(t.http).get('/api/models').set('X-Forwarded-For', client).expect(429);
      }
      await request(t.http).get('/api/models').set('X-Forwarded-For', '198.51.100.3').expect(200);
    } finally {
      await t.close();
    }
  });
});
