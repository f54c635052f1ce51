import { Metrics } from '../../platform/metrics/metrics.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppConfig } from '../../platform/config/app-config.js';
import type { TaskHandlers } from '../../tasks/handlers.js';
import type { ModelEntry, ModelRepository } from '../repository/model-repository.js';
import { ModelRegistry } from './model-registry.js';

describe('ModelRegistry.isReady', () => {
  it('is not ready before the model repository has been read, though no model is loading yet', async () => {
    let read!: (entries: ModelEntry[]) => void;
    const repository = { list: () => new Promise<ModelEntry[]>((resolve) => (read = resolve)) } as unknown as ModelRepository;
    const registry = new ModelRegistry(repository, AppConfig.fromEnv({}), {} as TaskHandlers, new Metrics());
    registry.onApplicationBootstrap();
    assert.deepEqual(registry.counts(), { ready: 0, loading: 0, failed: 0 });
    assert.equal(registry.isReady(), false);
    read([]);
    await registry.whenLoaded();
    assert.equal(registry.isReady(), true, 'an empty repository, once read, is ready');
  });
});
