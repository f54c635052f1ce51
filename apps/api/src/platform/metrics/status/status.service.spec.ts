import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppConfig } from '../../config/app-config.js';
import { Metrics } from '../metrics.js';
import type { ModelRegistry } from '../../../serving/lifecycle/model-registry.js';
import type { CompressionPool } from '../../../tasks/compression/compression-pool.js';
import { COMPRESSOR, StatusService } from './status.service.js';

const T0 = 1_700_000_000_000;
const SECOND = 1000;

function service(): { status: StatusService; metrics: Metrics } {
  const metrics = new Metrics();
  metrics.watchModels({ gauges: () => [], has: (name) => name === 'm' });
  const registry = {
    list: () => ({ defaultModel: 'm', models: [{ name: 'm', title: 'M', task: 'image-to-image', status: 'ready' }] }),
    inHand: () => 2,
  } as unknown as ModelRegistry;
  const pool = { activity: () => ({ requestsInHand: 0, tasksInFlight: 0, tasksQueued: 0, workers: [] }) } as unknown as CompressionPool;
  const config = AppConfig.fromEnv({ STATUS_INTERVAL_SECONDS: '10', STATUS_WINDOW_MINUTES: '2', MAX_QUEUE: '8' });
  return { status: new StatusService(metrics, registry, pool, config), metrics };
}

const answer = (metrics: Metrics, status: number, seconds: number, labels: { route?: string; model?: string; method?: string } = {}) => {
  const series = { method: labels.method ?? 'POST', route: labels.route ?? '/api/models/:name', model: labels.model ?? 'm' };
  metrics.httpRequests.inc({ ...series, status: String(status) });
  metrics.httpDuration.observe(series, seconds);
};

describe('StatusService', () => {
  it('rates are over the minute before each point; the last point is now', async () => {
    const { status, metrics } = service();
    await status.sample(T0);
    answer(metrics, 200, 0.2);
    answer(metrics, 200, 0.2);
    answer(metrics, 415, 0.01);
    answer(metrics, 503, 0.001);
    answer(metrics, 200, 0.2, { method: 'GET' }); // reading a model's description is no work
    metrics.batchObserver('m')({ size: 3, waitedMs: [1, 1, 1], runMs: 5 });
    metrics.batchObserver('m')({ size: 1, waitedMs: [1], runMs: 5 });
    await status.sample(T0 + 10 * SECOND);

    const early = await status.status(T0 + 15 * SECOND);
    const model = early.services.find((row) => row.name === 'm')!;
    assert.deepEqual(model.queue, { inHand: 2, limit: 8 });
    assert.equal(model.totalRequests, 4);
    assert.deepEqual(model.series.map((point) => point.t), [T0, T0 + 10 * SECOND, T0 + 15 * SECOND]);
    const now = model.series.at(-1)!;
    // Fifteen seconds after start-up: what the last minute saw, not scaled up to a minute.
    assert.equal(now.requestsPerMinute, 4);
    assert.equal(now.clientErrorsPerMinute, 1);
    assert.equal(now.serverErrorsPerMinute, 1);
    assert.equal(now.averageBatchSize, 2);
    // 1 ms, 10 ms, 200 ms, 200 ms: the median's rank 2 ends the (5, 10] ms bucket; p95's rank 3.8 is 1.8 of 2 into (100, 250].
    assert.ok(Math.abs(now.p50Ms! - 10) < 1e-9, `p50 ${now.p50Ms}`);
    assert.ok(Math.abs(now.p95Ms! - 235) < 1e-9, `p95 ${now.p95Ms}`);
    assert.equal(model.series[0]!.requestsPerMinute, 0, 'the start: nothing before it');

    for (let s = 20; s <= 80; s += 10) await status.sample(T0 + s * SECOND);
    const later = (await status.status(T0 + 85 * SECOND)).services.find((row) => row.name === 'm')!;
    assert.equal(later.series.at(-1)!.requestsPerMinute, 0, 'a minute later the requests are out of the window');
    assert.equal(later.series.at(-1)!.p50Ms, null);
    assert.equal(later.series.at(-1)!.averageBatchSize, null);
    assert.equal(later.series.find((point) => point.t === T0 + 60 * SECOND)!.requestsPerMinute, 4, 'the point a minute on still has them');
  });

  it('has a compressor row, counted from POST /api/compress, and keeps only the window', async () => {
    const { status, metrics } = service();
    await status.sample(T0);
    answer(metrics, 200, 0.5, { route: '/api/compress', model: '' });
    answer(metrics, 404, 0.001, { model: '' }); // a made-up model: no row
    for (let s = 10; s <= 400; s += 10) await status.sample(T0 + s * SECOND);
    const answerNow = await status.status(T0 + 400 * SECOND);
    assert.deepEqual(answerNow.services.map((row) => row.name), ['m', COMPRESSOR]);
    const compressor = answerNow.services[1]!;
    assert.equal(compressor.kind, 'compressor');
    assert.equal(compressor.totalRequests, 1);
    assert.equal(compressor.series[0]!.t, T0 + 280 * SECOND, 'two minutes of points');
    assert.ok(compressor.series.every((point) => point.requestsPerMinute === 0 && point.averageBatchSize === null));
    assert.equal(answerNow.windowSeconds, 120);
    assert.equal(answerNow.intervalSeconds, 10);
  });
});
