/**
 * "Batching off" without new product config: a temporary model repository (`MODELS_DIR`) whose
 * manifests are the shipped ones with `scheduler.maxBatchSize` 1. Every other file of a model
 * folder (weights, labels, examples) is a symbolic link to the original, not a copy: the
 * repository only checks that a local path stays inside the folder by name, and reads through links.
 */
import type { ModelManifest } from '@dlserve/shared';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The manifest's `scheduler.maxBatchSize`, 1 when it has none (the scheduler's default). */
export function maxBatchSize(manifest: ModelManifest): number {
  return manifest.scheduler?.maxBatchSize ?? 1;
}

/** The same manifest with batching off: batches of one, no preferred sizes; everything else kept. */
export function withoutBatching(manifest: ModelManifest): ModelManifest {
  return { ...manifest, scheduler: { ...manifest.scheduler, maxBatchSize: 1, preferredBatchSizes: [] } };
}

/**
 * Writes `names`' folders of `modelsDir` into `target` (which must exist) with batching off:
 * a rewritten model.json and links to every other file.
 */
export async function writeUnbatchedRepository(modelsDir: string, names: readonly string[], target: string): Promise<void> {
  for (const name of names) {
    const from = join(modelsDir, name);
    const to = join(target, name);
    await mkdir(to);
    const manifest = JSON.parse(await readFile(join(from, 'model.json'), 'utf8')) as ModelManifest;
    await writeFile(join(to, 'model.json'), JSON.stringify(withoutBatching(manifest), null, 2));
    for (const file of await readdir(from)) {
      if (file !== 'model.json') await symlink(join(from, file), join(to, file));
    }
  }
}
