import type { HealthResponse } from '@dlserve/shared';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { startTestApp, type TestApp } from './app.js';

describe('GET /api/health', () => {
  let t: TestApp;
  before(async () => (t = await startTestApp()));
  after(() => t.close());

  it('answers 200 when ready', async () => {
    const response = await request(t.http).get('/api/health').expect(200);
    assert.equal((response.body as HealthResponse).status, 'ok');
  });
});

describe('GET /api/health/ready while a check is down', () => {
  let t: TestApp;
  // An api node whose Redis does not answer (nothing listens on port 1): not ready.
  before(async () => (t = await startTestApp({ ROLE: 'api', REDIS_URL: 'redis://127.0.0.1:1' })));
  after(() => t.close());

  it('answers 503 with terminus’s result, naming the check that is down', async () => {
    const response = await request(t.http).get('/api/health/ready').expect(503);
    assert.equal(response.body.status, 'error');
    assert.equal(response.body.error.queue.status, 'down');
    assert.match(response.body.error.queue.message, /REDIS_URL/);
    assert.equal(response.body.info.models.status, 'up');
  });
});
