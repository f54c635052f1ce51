import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { AppConfig } from './app-config.js';

describe('AppConfig.fromEnv', () => {
  it('uses the documented defaults', () => {
    const config = AppConfig.fromEnv({});
    assert.equal(config.port, 1127);
    assert.equal(config.host, '127.0.0.1');
    assert.match(config.assetsDir, /[/\\]data[/\\]assets$/);
    assert.match(config.uploadsDir, /[/\\]data[/\\]uploads$/);
    assert.equal(resolve(config.assetsDir, '..', '..', 'models'), config.modelsDir, 'data/ sits beside models/ at the root');
    assert.equal(config.maxFileBytes, 25 * 1024 * 1024);
    assert.equal(config.maxFiles, 20);
    assert.match(config.webDir ?? '', /web[/\\]dist$/);
    assert.match(config.modelsDir, /[/\\]models$/);
    assert.equal(config.enabledModels, null);
    assert.equal(config.defaultModel, null);
    assert.equal(config.modelWorkers, 1);
    assert.equal(config.intraOpThreadsFor(config.modelWorkers), availableParallelism());
    assert.deepEqual(config.ortExecutionProviders, ['cpu']);
    assert.equal(config.jobTtlMs, 3_600_000);
    assert.equal(config.maxQueue, 32);
    assert.equal(config.compressWorkers, availableParallelism());
    assert.equal(config.compressMaxQueue, 32);
  });

  it('reads the image limits, 40 MP, 16384 a side, 100:1 and 500 frames by default', () => {
    assert.deepEqual(AppConfig.fromEnv({}).imageLimits, { maxPixels: 40_000_000, maxSide: 16_384, maxAspectRatio: 100, maxFrames: 500 });
    const config = AppConfig.fromEnv({ MAX_IMAGE_PIXELS: '1000000', MAX_IMAGE_SIDE: '2000', MAX_IMAGE_ASPECT_RATIO: '2.5', MAX_IMAGE_FRAMES: '1' });
    assert.deepEqual(config.imageLimits, { maxPixels: 1_000_000, maxSide: 2000, maxAspectRatio: 2.5, maxFrames: 1 });
    assert.throws(() => AppConfig.fromEnv({ MAX_IMAGE_PIXELS: '0', MAX_IMAGE_ASPECT_RATIO: '0.5' }), /MAX_IMAGE_PIXELS[\s\S]*MAX_IMAGE_ASPECT_RATIO/);
  });

  it('runs as one process without Redis by default; api and worker nodes need REDIS_URL, and say so', () => {
    const single = AppConfig.fromEnv({});
    assert.deepEqual([single.role, single.redisUrl, single.runsModels], ['all', null, true]);
    assert.deepEqual([single.queueStalledMs, single.queueAttempts, single.queueConcurrency], [30_000, 3, null]);
    for (const role of ['api', 'worker']) {
      assert.throws(() => AppConfig.fromEnv({ ROLE: role }), new RegExp(`REDIS_URL: ROLE=${role} needs REDIS_URL`));
    }
    const api = AppConfig.fromEnv({ ROLE: 'api', REDIS_URL: 'redis://127.0.0.1:6379', QUEUE_STALLED_SECONDS: '5', QUEUE_CONCURRENCY: '3' });
    assert.deepEqual([api.role, api.redisUrl, api.runsModels, api.queueStalledMs, api.queueConcurrency], ['api', 'redis://127.0.0.1:6379', false, 5000, 3]);
    assert.equal(AppConfig.fromEnv({ ROLE: 'worker', REDIS_URL: 'rediss://queue.internal:6380' }).runsModels, true);
    assert.throws(() => AppConfig.fromEnv({ ROLE: 'both' }), /ROLE/);
    assert.throws(() => AppConfig.fromEnv({ ROLE: 'api', REDIS_URL: 'http://127.0.0.1:6379' }), /REDIS_URL/);
  });

  it('reads the compression pool settings', () => {
    const config = AppConfig.fromEnv({ COMPRESS_WORKERS: '3', COMPRESS_MAX_QUEUE: '5' });
    assert.deepEqual([config.compressWorkers, config.compressMaxQueue], [3, 5]);
    assert.throws(() => AppConfig.fromEnv({ COMPRESS_WORKERS: '0' }), /COMPRESS_WORKERS/);
    assert.throws(() => AppConfig.fromEnv({ COMPRESS_MAX_QUEUE: 'many' }), /COMPRESS_MAX_QUEUE/);
  });

  it('reads the model settings', () => {
    const config = AppConfig.fromEnv({
      MODELS: 'a, b',
      DEFAULT_MODEL: 'b',
      MODEL_WORKERS: '2',
      ORT_INTRA_OP_THREADS: '1',
      ORT_EXECUTION_PROVIDERS: 'cuda,cpu',
      JOB_TTL_SECONDS: '60',
    });
    assert.deepEqual(config.enabledModels, ['a', 'b']);
    assert.equal(config.defaultModel, 'b');
    assert.deepEqual([config.modelWorkers, config.intraOpThreadsFor(config.modelWorkers), config.jobTtlMs], [2, 1, 60_000]);
    assert.deepEqual(config.ortExecutionProviders, ['cuda', 'cpu']);
    assert.throws(() => AppConfig.fromEnv({ ORT_EXECUTION_PROVIDERS: 'tpu' }), /ORT_EXECUTION_PROVIDERS/);
  });

  it('shares the cores out: threads to the model workers, one tile worker per core', () => {
    const cores = availableParallelism();
    const defaults = AppConfig.fromEnv({});
    assert.deepEqual([defaults.modelWorkers, defaults.intraOpThreadsFor(defaults.modelWorkers), defaults.tileWorkers], [1, cores, cores > 1 ? cores : 0]);
    assert.equal(AppConfig.fromEnv({ MODEL_WORKERS: String(cores * 2) }).intraOpThreadsFor(cores * 2), 1);
    assert.equal(AppConfig.fromEnv({ TILE_WORKERS: '0' }).tileWorkers, 0);
    assert.throws(() => AppConfig.fromEnv({ TILE_WORKERS: '-1' }), /TILE_WORKERS/);
  });

  it('reads and converts every variable', () => {
    const config = AppConfig.fromEnv({
      PORT: '8080',
      HOST: '0.0.0.0',
      ASSETS_DIR: '/tmp/a',
      UPLOADS_DIR: '/tmp/u',
      MAX_FILE_BYTES: '1000',
      MAX_FILES: '3',
      WEB_DIR: '/srv/web',
    });
    assert.deepEqual(
      [config.port, config.host, config.assetsDir, config.uploadsDir, config.maxFileBytes, config.maxFiles, config.webDir],
      [8080, '0.0.0.0', '/tmp/a', '/tmp/u', 1000, 3, '/srv/web'],
    );
  });

  it('treats an empty variable as unset, but an empty WEB_DIR as "serve no web app"', () => {
    const config = AppConfig.fromEnv({ PORT: '', WEB_DIR: '' });
    assert.equal(config.port, 1127);
    assert.equal(config.webDir, null);
  });

  it('fails fast naming every bad variable', () => {
    assert.throws(
      () => AppConfig.fromEnv({ PORT: 'eighty', MAX_FILES: '-1', MAX_FILE_BYTES: '1.5' }),
      (error: Error) =>
        /PORT/.test(error.message) && /MAX_FILES/.test(error.message) && /MAX_FILE_BYTES/.test(error.message),
    );
  });
  it('reads the overload, access, shutdown and retention settings, with their defaults', () => {
    const defaults = AppConfig.fromEnv({});
    assert.deepEqual(
      [defaults.retryAfterSeconds, defaults.requestTimeoutMs, defaults.trustProxy, defaults.rateLimitMax, defaults.apiKeys, defaults.corsOrigins, defaults.shutdownGraceMs],
      [5, 120_000, false, 600, [], [], 30_000],
    );
    assert.deepEqual([defaults.assetsTtlMs, defaults.assetsMaxBytes, defaults.sweepIntervalMs], [86_400_000, 5 * 1024 ** 3, 300_000]);
    const set = AppConfig.fromEnv({
      TRUST_PROXY: 'loopback',
      API_KEYS: ' a , b ,',
      CORS_ORIGINS: 'https://x.example',
      RATE_LIMIT_MAX: '0',
      ASSETS_TTL_SECONDS: '0',
      SHUTDOWN_GRACE_SECONDS: '2.5',
    });
    assert.deepEqual([set.trustProxy, set.apiKeys, set.corsOrigins, set.rateLimitMax, set.assetsTtlMs, set.shutdownGraceMs], ['loopback', ['a', 'b'], ['https://x.example'], 0, 0, 2500]);
    assert.equal(AppConfig.fromEnv({ TRUST_PROXY: '1' }).trustProxy, 1);
    assert.equal(AppConfig.fromEnv({ TRUST_PROXY: 'true' }).trustProxy, true);
    assert.throws(
      () => AppConfig.fromEnv({ REQUEST_TIMEOUT_SECONDS: '0', RATE_LIMIT_MAX: '-1', ASSETS_MAX_BYTES: 'lots' }),
      (error: Error) => /REQUEST_TIMEOUT_SECONDS/.test(error.message) && /RATE_LIMIT_MAX/.test(error.message) && /ASSETS_MAX_BYTES/.test(error.message),
    );
  });
});
