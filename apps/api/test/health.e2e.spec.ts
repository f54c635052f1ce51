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
