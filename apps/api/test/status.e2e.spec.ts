import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { StatusResponse } from '@dlserve/shared';
import sharp from 'sharp';
import request from 'supertest';
import { startTestApp, type TestApp } from './app.js';
import { swapManifest, swapUpscaleOnnx, writeModel } from './models.js';

describe('GET /api/status', () => {
  let t: TestApp;
  let modelsDir: string;
  before(async () => {
    modelsDir = await mkdtemp(join(tmpdir(), 'dlserve-status-models-'));
    await writeModel(modelsDir, swapManifest('swap-x2'), swapUpscaleOnnx());
    t = await startTestApp({ MODELS_DIR: modelsDir, TILE_WORKERS: '0', COMPRESS_WORKERS: '1' });
  });
  after(() => t.close());

  it('before any traffic: each model and the compressor, ready, with empty series', async () => {
    const answer = await request(t.http).get('/api/status').expect(200);
    assert.match(answer.headers['cache-control'] ?? '', /no-store/);
    const body = answer.body as StatusResponse;
    assert.deepEqual(body.services.map((row) => [row.kind, row.name, row.state]), [['model', 'swap-x2', 'ready'], ['compressor', 'compressor', 'ready']]);
    assert.equal(body.intervalSeconds, 10);
    assert.equal(body.windowSeconds, 900);
    assert.equal(body.rateWindowSeconds, 60);
    for (const row of body.services) {
      assert.equal(row.totalRequests, 0);
      assert.ok(row.series.length >= 1);
      assert.ok(row.series.every((point) => point.requestsPerMinute === 0 && point.p50Ms === null));
    }
  });

  it('counts the requests a model and the compressor answered, their errors, latency and batches', async () => {
    const image = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#336699' } }).png().toBuffer();
    await request(t.http).post('/api/models/swap-x2').attach('the_file', image, 'a.png').expect(200);
    await request(t.http).post('/api/process').attach('the_file', image, 'b.png').expect(200);
    await request(t.http).post('/api/models/swap-x2').attach('the_file', Buffer.from('not an image'), 'c.png').expect(415);
    await request(t.http).get('/api/models/swap-x2').expect(200); // reading about a model runs nothing
    await request(t.http).post('/api/compress').attach('the_file', image, 'd.png').expect(200);

    const body = (await request(t.http).get('/api/status').expect(200)).body as StatusResponse;
    const model = body.services.find((row) => row.name === 'swap-x2')!;
    assert.equal(model.totalRequests, 3, '/api/process counts under the default model');
    assert.deepEqual(model.queue, { inHand: 0, limit: t.config.maxQueue });
    const now = model.series.at(-1)!;
    assert.equal(now.requestsPerMinute, 3);
    assert.equal(now.clientErrorsPerMinute, 1);
    assert.equal(now.serverErrorsPerMinute, 0);
    assert.ok(now.p50Ms !== null && now.p50Ms > 0, `p50 ${now.p50Ms}`);
    assert.ok(now.p95Ms !== null && now.p95Ms >= now.p50Ms, `p95 ${now.p95Ms}`);
    assert.ok(now.averageBatchSize !== null && now.averageBatchSize >= 1);
    assert.ok(Date.parse(body.generatedAt) >= now.t - 1000);

    const compressor = body.services.find((row) => row.kind === 'compressor')!;
    assert.equal(compressor.totalRequests, 1);
    assert.equal(compressor.series.at(-1)!.requestsPerMinute, 1);
    assert.equal(compressor.series.at(-1)!.averageBatchSize, null);
  });

  it('is behind API_KEYS like /api/metrics, while the health routes stay open', async () => {
    const locked = await startTestApp({ MODELS_DIR: modelsDir, TILE_WORKERS: '0', COMPRESS_WORKERS: '1', API_KEYS: 'secret', STATUS_INTERVAL_SECONDS: '2', STATUS_WINDOW_MINUTES: '5' });
    try {
      const refused = await request(locked.http).get('/api/status').expect(401);
      assert.equal(refused.body.error, 'unauthorized');
      const body = (await request(locked.http).get('/api/status').set('Authorization', 'Bearer secret').expect(200)).body as StatusResponse;
      assert.equal(body.intervalSeconds, 2);
      assert.equal(body.windowSeconds, 300);
      await request(locked.http).get('/api/health').expect(200);
    } finally {
      await locked.close();
    }
  });
});
