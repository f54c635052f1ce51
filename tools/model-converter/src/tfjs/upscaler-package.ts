/**
 * An installed UpscalerJS model package: where its files are, its version and licence, and its
 * own model definition (value ranges, and the `setup` that registers its custom layers with TF.js).
 */
import { readFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';

type Tf = typeof tfjs;

/** The part of UpscalerJS's ModelDefinition that conversion and verification read. */
export interface UpscalerModelDefinition {
  scale: number;
  modelType: string;
  inputRange?: [number, number];
  outputRange?: [number, number];
  setup?: (tf: Tf) => void;
  _internals?: { path: string; name: string; version: string };
}

export interface UpscalerPackage {
  name: string;
  version: string;
  dir: string;
  licence: string;
  /** `models/x<scale>/model.json` inside the package. */
  modelJsonPath: string;
  definition: UpscalerModelDefinition;
}

const require = createRequire(import.meta.url);

function packageRoot(name: string): string {
  // The packages' export maps hide package.json, so walk up from the entry point.
  let dir = dirname(require.resolve(name));
  while (dirname(dir) !== dir) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name) {
      return dir;
    }
    dir = dirname(dir);
  }
  throw new Error(`cannot find the root of ${name}`);
}

export async function loadUpscalerPackage(name: string, scale: number): Promise<UpscalerPackage> {
  const dir = packageRoot(name);
  const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { version: string };
  // `@upscalerjs/<model>/<scale>x` is the definition UpscalerJS itself loads for that scale.
  // Its CommonJS entry exports the definition itself (module.exports = definition).
  const definition = require(`${name}/${scale}x`) as UpscalerModelDefinition;
  if (definition.scale !== scale || definition.modelType !== 'layers') {
    throw new Error(`${name}/${scale}x: unexpected definition (scale ${definition.scale}, ${definition.modelType})`);
  }
  return {
    name,
    version: manifest.version,
    dir,
    licence: await readFile(join(dir, 'LICENSE'), 'utf8'),
    modelJsonPath: join(dir, definition._internals?.path ?? `models/x${scale}/model.json`),
    definition,
  };
}
