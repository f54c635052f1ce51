import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import request from 'supertest';
import { startTestApp, type TestApp } from './app.js';
import { swapManifest, swapUpscaleOnnx, writeModel } from './models.js';

/** The value of one sample line of a Prometheus text exposition, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /api/metrics and /api/health/live|ready', () => {
  let t: TestApp;
  before(async () => {
    const modelsDir = await mkdtemp(join(tmpdir(), 'dlserve-metrics-models-'));
    await writeModel(modelsDir, swapManifest('swap-x2'), swapUpscaleOnnx());
    t = await startTestApp({ MODELS_DIR: modelsDir, TILE_WORKERS: '0' });
  });
  after(() => t.close());

  it('live and ready answer terminus’s shape: up, with the models counted', async () => {
    const live = await request(t.http).get('/api/health/live').expect(200);
    assert.equal(live.body.status, 'ok');
    assert.equal(live.body.info.process.status, 'up');
    const ready = await request(t.http).get('/api/health/ready').expect(200);
    assert.deepEqual(ready.body.info.models, { status: 'up', ready: 1, loading: 0, failed: 0 });
  });

  it('counts requests by route pattern, model and status, and the scheduler’s batches, queue and compute time', async () => {
    const image = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#336699' } }).png().toBuffer();
    await request(t.http).post('/api/models/swap-x2').attach('the_file', image, 'a.png').expect(200);
    await request(t.http).post('/api/models/swap-x2').attach('the_file', image, 'b.png').expect(200);
    await request(t.http).post('/api/models/no-such-model').attach('the_file', image, 'c.png').expect(404);
    const scrape = await request(t.http).get('/api/metrics').expect(200);
    assert.match(scrape.headers['content-type'] ?? '', /^text\/plain; version=0\.0\.4/);
    const text = scrape.text;
    assert.equal(sample(text, 'dlserve_http_requests_total{method="POST",route="/api/models/:name",model="swap-x2",status="200"}'), 2);
    // A made-up name is counted under no model: a scan of URLs adds no series.
    assert.equal(sample(text, 'dlserve_http_requests_total{method="POST",route="/api/models/:name",model="",status="404"}'), 1);
    assert.doesNotMatch(text, /no-such-model/);
    assert.ok(sample(text, 'dlserve_http_request_duration_seconds_count{method="POST",route="/api/models/:name",model="swap-x2"}')! >= 2);
    assert.ok(sample(text, 'dlserve_inference_batch_size_count{model="swap-x2"}')! >= 2, 'one batch or more per request');
    assert.ok(sample(text, 'dlserve_inference_compute_seconds_sum{model="swap-x2"}')! > 0);
    assert.ok(sample(text, 'dlserve_inference_queue_seconds_count{model="swap-x2"}')! >= 2);
    assert.equal(sample(text, 'dlserve_model_state{model="swap-x2"}'), 1);
    assert.equal(sample(text, 'dlserve_model_requests_in_hand{model="swap-x2"}'), 0);
    assert.equal(sample(text, 'dlserve_model_worker_restarts{model="swap-x2"}'), 0);
    assert.ok(sample(text, 'dlserve_process_resident_memory_bytes')! > 0, 'process metrics');
    assert.notEqual(sample(text, 'dlserve_store_bytes{store="assets"}'), undefined);
  });
});
