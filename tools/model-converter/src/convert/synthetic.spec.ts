/**
 * End to end on a model built here with TF.js: every layer kind the converter knows, custom
 * layers as UpscalerJS defines them, saved through a custom IOHandler to model.json + two shards,
 * then converted and compared with TF.js.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { encodeModel } from '../onnx/onnx-proto.js';
import { readLayersModel } from '../tfjs/layers-model.js';
import { fileSystemHandler, OnnxRunner, TfjsRunner } from '../verify/runners.js';
import { compareWithOriginal, MAX_ABS_DIFF } from '../verify/verify.js';
import { convertLayersModel, type DepthToSpaceMode } from './layers-to-onnx.js';

// The custom layers as UpscalerJS's esrgan `setup()` defines them (MultiplyBeta: × 0.2;
// PixelShuffle<n>x: tf.depthToSpace NHWC), with a correct output shape for symbolic building.
class MultiplyBeta extends tf.layers.Layer {
  static readonly className = 'MultiplyBeta';
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.mul(Array.isArray(inputs) ? inputs[0]! : inputs, 0.2);
  }
}

class PixelShuffle2x extends tf.layers.Layer {
  static readonly className = 'PixelShuffle2x';
  override computeOutputShape(shape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, h, w, c] = (Array.isArray(shape[0]) ? shape[0] : shape) as tf.Shape;
    return [b ?? null, h == null ? null : h * 2, w == null ? null : w * 2, c == null ? null : c / 4];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.depthToSpace((Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D, 2, 'NHWC');
  }
}

tf.serialization.registerClass(MultiplyBeta);
tf.serialization.registerClass(PixelShuffle2x);

function buildModel(): tf.LayersModel {
  const conv = (name: string, filters: number, kernelSize: number, options: Partial<{ padding: 'same' | 'valid'; activation: 'relu' | 'linear'; useBias: boolean; dilationRate: number }> = {}) =>
    tf.layers.conv2d({
      name,
      filters,
      kernelSize,
      padding: options.padding ?? 'same',
      activation: options.activation ?? 'linear',
      useBias: options.useBias ?? true,
      dilationRate: options.dilationRate ?? 1,
      // Random weights and biases: zeros would hide a misplaced bias.
      kernelInitializer: tf.initializers.randomUniform({ minval: -0.3, maxval: 0.3, seed: 1 }),
      biasInitializer: tf.initializers.randomUniform({ minval: -5, maxval: 5, seed: 2 }),
    });
  const input = tf.input({ shape: [null, null, 3], name: 'LR' });
  const a = conv('a', 8, 3).apply(input) as tf.SymbolicTensor;
  const aRelu = tf.layers.activation({ activation: 'relu', name: 'a_relu' }).apply(a) as tf.SymbolicTensor;
  const b = conv('b', 6, 2, { activation: 'relu' }).apply(aRelu) as tf.SymbolicTensor; // even kernel: asymmetric SAME pads
  const c = conv('c', 5, 3, { dilationRate: 2, useBias: false }).apply(b) as tf.SymbolicTensor;
  const cat = tf.layers.concatenate({ axis: -1, name: 'cat' }).apply([aRelu, b, c]) as tf.SymbolicTensor; // 8 + 6 + 5
  const d = conv('d', 8, 1, { padding: 'valid' }).apply(cat) as tf.SymbolicTensor;
  const beta = new MultiplyBeta({ name: 'beta' }).apply(d) as tf.SymbolicTensor;
  const sum = tf.layers.add({ name: 'sum' }).apply([a, beta]) as tf.SymbolicTensor;
  const sum3 = tf.layers.add({ name: 'sum3' }).apply([a, beta, sum]) as tf.SymbolicTensor;
  const up = tf.layers.upSampling2d({ size: [2, 2], name: 'up' }).apply(sum3) as tf.SymbolicTensor;
  const e = conv('e', 12, 5).apply(up) as tf.SymbolicTensor;
  const shuffled = new PixelShuffle2x({ name: 'shuffle' }).apply(e) as tf.SymbolicTensor;
  const out = conv('SR', 3, 3).apply(shuffled) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'synthetic' });
}

/** Saves through a custom IOHandler into model.json plus two shards cut mid-weight. */
async function saveToDisk(model: tf.LayersModel, dir: string): Promise<string> {
  await model.save({
    save: async (artifacts) => {
      if (!(artifacts.weightData instanceof ArrayBuffer) || !artifacts.weightSpecs) throw new Error('expected one weight buffer');
      const bytes = new Uint8Array(artifacts.weightData);
      const cut = 1001; // not a multiple of 4
      const json = {
        format: 'layers-model',
        generatedBy: 'synthetic.spec',
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: artifacts.weightSpecs }],
      };
      await writeFile(join(dir, 'model.json'), JSON.stringify(json));
      await writeFile(join(dir, 'group1-shard1of2.bin'), bytes.subarray(0, cut));
      await writeFile(join(dir, 'group1-shard2of2.bin'), bytes.subarray(cut));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    },
  });
  return join(dir, 'model.json');
}

describe('a synthetic TF.js layers model', () => {
  let dir: string;
  let modelJson: string;
  let original: TfjsRunner;

  before(async () => {
    await tf.setBackend('cpu');
    dir = await mkdtemp(join(tmpdir(), 'model-converter-'));
    const built = buildModel();
    modelJson = await saveToDisk(built, dir);
    built.dispose();
    // Compare with the model as read back from disk, so the files themselves are what is tested.
    original = await TfjsRunner.load(fileSystemHandler(modelJson));
  });

  after(async () => {
    original.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  const convertAndCompare = async (mode: DepthToSpaceMode) => {
    const source = await readLayersModel(modelJson);
    const converted = convertLayersModel(source, { name: 'synthetic', depthToSpaceMode: mode });
    const onnx = await OnnxRunner.create(encodeModel(converted.model));
    try {
      const result = await compareWithOriginal({ onnx, original, sizes: [[7, 5], [12, 16]], inputScale: 1, outputScale: 1, scale: 4 });
      return { converted, result };
    } finally {
      await onnx.release();
    }
  };

  it('converts to an ONNX model equal to TF.js within the tolerance', async () => {
    const { converted, result } = await convertAndCompare('DCR');
    assert.equal(converted.scale, 4);
    assert.equal(converted.inputChannels, 3);
    assert.equal(converted.outputChannels, 3);
    // Receptive radius: a 1 + b 1 + c (dilated) 2 + d 0, then e 2 at ×2 (= 1) and SR 1 at ×4 (= 0.25).
    assert.equal(converted.receptiveRadius, Math.ceil(1 + 1 + 2 + 1 + 0.25));
    for (const c of result.cases) assert.ok(c.outputMax - c.outputMin > 1, 'the output is not constant');
    assert.ok(result.maxAbsDiff <= MAX_ABS_DIFF, `max |Δ| ${result.maxAbsDiff}`);
  });

  it('with the other DepthToSpace mode (CRD) verification fails, so it decides the mode', async () => {
    const { result } = await convertAndCompare('CRD');
    assert.ok(result.maxAbsDiff > 1, `max |Δ| ${result.maxAbsDiff}`);
  });

  it('refuses a layer type it does not know instead of guessing', async () => {
    const source = await readLayersModel(modelJson);
    const layers = source.topology.layers.map((l) => (l.name === 'beta' ? { ...l, class_name: 'MultiplyGamma' } : l));
    assert.throws(() => convertLayersModel({ ...source, topology: { ...source.topology, layers } }, { name: 'x' }), /MultiplyGamma is not supported/);
  });

  it('refuses a model whose weights are not all used', async () => {
    const source = await readLayersModel(modelJson);
    const weights = new Map(source.weights).set('stray/kernel', { shape: [1], values: new Float32Array(1) });
    assert.throws(() => convertLayersModel({ ...source, weights }, { name: 'x' }), /stray\/kernel/);
  });
});
