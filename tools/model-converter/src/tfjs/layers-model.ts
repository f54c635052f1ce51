/**
 * Reads a TF.js layers model (`model.json` + weight shards) without TF.js: the topology as JSON
 * and every weight as a Float32Array with its shape.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** One node input: [layer name, node index, tensor index, kwargs]. */
export type InboundTensor = [string, number, number, Record<string, unknown>?];

export interface LayerConfig {
  class_name: string;
  name: string;
  config: Record<string, unknown>;
  inbound_nodes: InboundTensor[][];
}

export interface FunctionalConfig {
  name?: string;
  layers: LayerConfig[];
  input_layers: [string, number, number][];
  output_layers: [string, number, number][];
}

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: unknown;
}

export interface WeightGroup {
  paths: string[];
  weights: WeightSpec[];
}

export interface LayersModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string;
  modelTopology: {
    keras_version?: string;
    backend?: string;
    /** tfjs writes the Keras model config here; older files put it at the top level. */
    model_config?: { class_name: string; config: FunctionalConfig };
    class_name?: string;
    config?: FunctionalConfig;
  };
  weightsManifest: WeightGroup[];
}

export interface Weight {
  shape: number[];
  values: Float32Array;
}

export interface LayersModel {
  json: LayersModelJson;
  topology: FunctionalConfig;
  weights: Map<string, Weight>;
}

export function functionalConfig(json: LayersModelJson): FunctionalConfig {
  const top = json.modelTopology;
  const model = top.model_config ?? (top.class_name && top.config ? { class_name: top.class_name, config: top.config } : undefined);
  if (!model) throw new Error('model.json has no Keras model config');
  if (model.class_name !== 'Functional' && model.class_name !== 'Model') {
    throw new Error(`only functional models are supported, not ${model.class_name}`);
  }
  return model.config;
}

/**
 * Splits the shards of each weight group into named weights. Within a group the shards are one
 * byte stream cut into files; weights follow each other in manifest order with no padding.
 */
export function decodeWeights(manifest: WeightGroup[], groupBytes: Uint8Array[]): Map<string, Weight> {
  if (manifest.length !== groupBytes.length) throw new Error('one byte stream per weight group expected');
  const weights = new Map<string, Weight>();
  manifest.forEach((group, g) => {
    const bytes = groupBytes[g]!;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let offset = 0;
    for (const spec of group.weights) {
      if (spec.quantization) throw new Error(`${spec.name}: quantized weights are not supported`);
      if (spec.dtype !== 'float32') throw new Error(`${spec.name}: dtype ${spec.dtype} is not supported`);
      const count = spec.shape.reduce((a, b) => a * b, 1);
      const end = offset + count * 4;
      if (end > bytes.byteLength) {
        throw new Error(`${spec.name}: needs bytes ${offset}–${end} but the shards hold ${bytes.byteLength}`);
      }
      const values = new Float32Array(count);
      for (let i = 0; i < count; i++) values[i] = view.getFloat32(offset + i * 4, true);
      if (weights.has(spec.name)) throw new Error(`duplicate weight ${spec.name}`);
      weights.set(spec.name, { shape: spec.shape, values });
      offset = end;
    }
    if (offset !== bytes.byteLength) {
      throw new Error(`weight group ${g}: ${bytes.byteLength - offset} bytes left over after the last weight`);
    }
  });
  return weights;
}

export function concatBytes(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}

/** Reads model.json and, per weight group, its shards concatenated in manifest order. */
export async function readLayersModelFiles(modelJsonPath: string): Promise<{ json: LayersModelJson; groupBytes: Uint8Array[] }> {
  const json = JSON.parse(await readFile(modelJsonPath, 'utf8')) as LayersModelJson;
  if (json.format !== undefined && json.format !== 'layers-model') {
    throw new Error(`${modelJsonPath}: format ${json.format}, expected layers-model`);
  }
  const dir = dirname(modelJsonPath);
  const groupBytes = await Promise.all(
    json.weightsManifest.map(async (group) => concatBytes(await Promise.all(group.paths.map((p) => readFile(join(dir, p)))))),
  );
  return { json, groupBytes };
}

export async function readLayersModel(modelJsonPath: string): Promise<LayersModel> {
  const { json, groupBytes } = await readLayersModelFiles(modelJsonPath);
  return { json, topology: functionalConfig(json), weights: decodeWeights(json.weightsManifest, groupBytes) };
}
