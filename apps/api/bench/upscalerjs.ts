/**
 * UpscalerJS 1.0.0 in Node on TF.js's WebAssembly backend, for `sr.bench.ts`.
 *
 * `upscaler/node` hard-requires `@tensorflow/tfjs-node`, whose install downloads libtensorflow (it
 * cannot install here). So this builds the same Upscaler class the node entry builds, from the
 * same files of the installed package (`getUpscaler` from its `shared/`, with its node
 * `loadModel`, `getImageAsTensor` and `getUpscaleOptions`), handing it `@tensorflow/tfjs` on the
 * `wasm` backend instead of tfjs-node. Everything else (the model definition's `setup()` and custom
 * layers, pre/post-processing, patching) is UpscalerJS's own code. The one addition is a `file://`
 * model loader, which tfjs-node would otherwise provide: it reads the package's model files.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

const require = createRequire(import.meta.url);

/** The bits of an UpscalerJS model definition the bench reads; the rest goes through untouched. */
export interface ModelDefinition {
  scale: number;
  _internals?: { path: string; name: string; version: string };
  path?: string;
  inputRange?: [number, number];
  outputRange?: [number, number];
}

interface UpscaleOptions {
  patchSize?: number;
  padding?: number;
  output?: 'tensor' | 'base64';
}

interface UpscalerInstance {
  ready: Promise<void>;
  execute(image: tf.Tensor3D, options: UpscaleOptions): Promise<tf.Tensor3D>;
  dispose(): Promise<void>;
}

type UpscalerClass = new (options: { model: ModelDefinition }) => UpscalerInstance;

let backend: Promise<{ threads: number }> | null = null;

/** Switches TF.js to the wasm backend once, with the .wasm files from the installed package. */
export function useWasmBackend(): Promise<{ threads: number }> {
  backend ??= (async () => {
    const wasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist/');
    setWasmPaths(wasmDir);
    if (!(await tf.setBackend('wasm'))) throw new Error('TF.js could not start its wasm backend');
    await tf.ready();
    // TF.js routers answer null for URLs that are not theirs, though the type says IOHandler.
    tf.io.registerLoadRouter((url) =>
      typeof url === 'string' && url.startsWith('file://') ? fileHandler(fileURLToPath(url)) : (null as unknown as tf.io.IOHandler),
    );
    return { threads: getThreadsCount() };
  })();
  return backend;
}

/** A TF.js layers model (model.json and its weight shards) from disk. */
function fileHandler(modelJsonPath: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(await readFile(modelJsonPath, 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const shards: Buffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const path of group.paths) shards.push(await readFile(join(dirname(modelJsonPath), path)));
        }
        const bytes = Buffer.concat(shards);
        return [specs, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)];
      });
    },
  };
}

function upscalerClass(): UpscalerClass {
  // The node entry's own folder, found through the package's exports without running the entry.
  const nodeDir = join(dirname(require.resolve('upscaler/node')), '..');
  const { getUpscaler } = require(join(nodeDir, '../shared/index.js')) as { getUpscaler: (parts: object) => UpscalerClass };
  const { loadModel } = require(join(nodeDir, 'loadModel.node.js')) as { loadModel: unknown };
  const image = require(join(nodeDir, 'image.node.js')) as { getImageAsTensor: unknown; tensorAsBase64: unknown; checkValidEnvironment: unknown };
  const { getUpscaleOptions } = require(join(nodeDir, 'args.node.js')) as { getUpscaleOptions: unknown };
  return getUpscaler({ tf, getUpscaleOptions, loadModel, ...image });
}

/** A model definition from `@upscalerjs/esrgan-<size>`, e.g. `('slim', 2)`. */
export function modelDefinition(size: string, scale: number): ModelDefinition {
  const pkg = `@upscalerjs/esrgan-${size}`;
  const entry = require.resolve(`${pkg}/${scale}x`);
  const definition = require(entry) as ModelDefinition;
  // The package's folder: everything before its `dist/` (package.json is not exported).
  const folder = entry.slice(0, entry.lastIndexOf('/dist/'));
  // What upscaler/node's getModelPath would compute through its resolver, which looks from
  // upscaler's own folder (where pnpm does not put the model packages).
  return { ...definition, path: `file://${join(folder, definition._internals!.path)}` };
}

export interface TfjsUpscaler {
  /** 8-bit RGB in, 8-bit RGB out (UpscalerJS's own output, clipped by it to 0–255). */
  upscale(pixels: Uint8Array, width: number, height: number): Promise<Uint8Array>;
  dispose(): Promise<void>;
}

export async function loadUpscaler(definition: ModelDefinition, patchSize: number, padding: number): Promise<TfjsUpscaler> {
  await useWasmBackend();
  const Upscaler = upscalerClass();
  const upscaler = new Upscaler({ model: definition });
  await upscaler.ready;
  return {
    upscale: async (pixels, width, height) => {
      const input = tf.tensor3d(pixels, [height, width, 3], 'int32');
      try {
        const output = await upscaler.execute(input, { patchSize, padding, output: 'tensor' });
        const data = await output.data();
        output.dispose();
        return Uint8Array.from(data, (value) => (value <= 0 ? 0 : value >= 255 ? 255 : Math.round(value)));
      } finally {
        input.dispose();
      }
    },
    dispose: () => upscaler.dispose(),
  };
}
