/**
 * Builds an ONNX graph with the same computation as a Keras functional model read from TF.js
 * layers files. The graph runs in NCHW (ONNX's native layout), so the NHWC input becomes
 * [1, C, height, width] and no transposes are needed anywhere.
 */
import { GraphBuilder } from '../onnx/graph-builder.js';
import type { ModelProto } from '../onnx/onnx-proto.js';
import type { LayerConfig, LayersModel, Weight } from '../tfjs/layers-model.js';
import { nhwcAxisToNchw, samePadding, transposeHwioToOihw } from './kernels.js';

/** ONNX DepthToSpace mode for TF's depth_to_space; DCR is what matches (see the spec). */
export type DepthToSpaceMode = 'DCR' | 'CRD';

export const INPUT_NAME = 'input';
export const OUTPUT_NAME = 'output';

/** UpscalerJS's MultiplyBeta multiplies by this constant, whatever its config says. */
export const MULTIPLY_BETA = 0.2;

export interface ConvertOptions {
  /** The graph's name and doc string. */
  name: string;
  docString?: string;
  metadata?: Record<string, string>;
  depthToSpaceMode?: DepthToSpaceMode;
}

export interface ConvertedModel {
  model: ModelProto;
  inputChannels: number;
  outputChannels: number;
  /** Output size / input size. */
  scale: number;
  /** How many input pixels on each side can influence one output pixel (the receptive field's radius). */
  receptiveRadius: number;
}

/** What is known of a tensor while walking the graph. */
interface TensorInfo {
  name: string;
  channels: number;
  /** Resolution relative to the model input. */
  scale: number;
  /** Receptive-field radius in input pixels. */
  radius: number;
}

function str(layer: LayerConfig, key: string): string {
  const v = layer.config[key];
  if (typeof v !== 'string') throw new Error(`${layer.name}: config.${key} is not a string`);
  return v;
}

function num(layer: LayerConfig, key: string): number {
  const v = layer.config[key];
  if (typeof v !== 'number') throw new Error(`${layer.name}: config.${key} is not a number`);
  return v;
}

function pair(layer: LayerConfig, key: string): [number, number] {
  const v = layer.config[key];
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) return [v[0] as number, v[1] as number];
  throw new Error(`${layer.name}: config.${key} is not an integer pair`);
}

export function convertLayersModel(source: LayersModel, options: ConvertOptions): ConvertedModel {
  const { topology, weights } = source;
  const depthToSpaceMode = options.depthToSpaceMode ?? 'DCR';
  const g = new GraphBuilder();
  const tensors = new Map<string, TensorInfo>();
  const usedWeights = new Set<string>();

  const [inputRef, ...moreInputs] = topology.input_layers;
  const [outputRef, ...moreOutputs] = topology.output_layers;
  if (!inputRef || !outputRef || moreInputs.length || moreOutputs.length) {
    throw new Error('only single-input, single-output models are supported');
  }
  const outputLayer = outputRef[0];

  const weight = (name: string): Weight => {
    const w = weights.get(name);
    if (!w) throw new Error(`weight ${name} is missing from the weights manifest`);
    usedWeights.add(name);
    return w;
  };

  let betaName: string | undefined;
  const beta = (): string => (betaName ??= g.constant('multiply_beta/beta', [], new Float32Array([MULTIPLY_BETA])));

  for (const layer of topology.layers) {
    const outName = layer.name === outputLayer ? OUTPUT_NAME : layer.name;

    if (layer.class_name === 'InputLayer') {
      const shape = layer.config.batch_input_shape;
      const channels = Array.isArray(shape) ? shape[3] : undefined;
      if (!Array.isArray(shape) || shape.length !== 4 || typeof channels !== 'number') {
        throw new Error(`${layer.name}: expected an NHWC image input, got ${JSON.stringify(shape)}`);
      }
      tensors.set(layer.name, { name: INPUT_NAME, channels, scale: 1, radius: 0 });
      continue;
    }

    if (layer.inbound_nodes.length !== 1) throw new Error(`${layer.name}: shared layers are not supported`);
    const inputs = layer.inbound_nodes[0]!.map(([from, nodeIndex, tensorIndex]) => {
      const t = tensors.get(from);
      if (!t || nodeIndex !== 0 || tensorIndex !== 0) throw new Error(`${layer.name}: input ${from} is not available`);
      return t;
    });
    const single = (): TensorInfo => {
      if (inputs.length !== 1) throw new Error(`${layer.name}: expected one input, got ${inputs.length}`);
      return inputs[0]!;
    };
    const sameGrid = (): { scale: number; radius: number } => {
      const scale = inputs[0]!.scale;
      if (inputs.some((t) => t.scale !== scale)) throw new Error(`${layer.name}: inputs at different resolutions`);
      return { scale, radius: Math.max(...inputs.map((t) => t.radius)) };
    };

    let result: TensorInfo;
    switch (layer.class_name) {
      case 'Conv2D': {
        const x = single();
        if (str(layer, 'data_format') !== 'channels_last') throw new Error(`${layer.name}: expected channels_last`);
        const [sh, sw] = pair(layer, 'strides');
        const [dh, dw] = pair(layer, 'dilation_rate');
        const groups = layer.config.groups ?? 1;
        if (sh !== 1 || sw !== 1) throw new Error(`${layer.name}: strides other than 1 are not supported`);
        if (groups !== 1) throw new Error(`${layer.name}: grouped convolutions are not supported`);
        const kernel = weight(`${layer.name}/kernel`);
        const oihw = transposeHwioToOihw(kernel.values, kernel.shape);
        const [filters, inChannels, kh, kw] = oihw.shape as [number, number, number, number];
        if (inChannels !== x.channels) throw new Error(`${layer.name}: kernel expects ${inChannels} channels, input has ${x.channels}`);
        if (filters !== num(layer, 'filters')) throw new Error(`${layer.name}: kernel has ${filters} filters, config says ${num(layer, 'filters')}`);
        const padding = str(layer, 'padding');
        const [top, bottom] = padding === 'same' ? samePadding(kh, dh) : padding === 'valid' ? [0, 0] : badPadding(layer, padding);
        const [left, right] = padding === 'same' ? samePadding(kw, dw) : [0, 0];
        const convInputs = [x.name, g.constant(`${layer.name}/kernel`, oihw.shape, oihw.values)];
        if (layer.config.use_bias !== false) {
          const bias = weight(`${layer.name}/bias`);
          convInputs.push(g.constant(`${layer.name}/bias`, bias.shape, bias.values));
        }
        const activation = str(layer, 'activation');
        if (activation !== 'linear' && activation !== 'relu') throw new Error(`${layer.name}: activation ${activation} is not supported`);
        const convOut = g.node('Conv', convInputs, activation === 'relu' ? `${layer.name}/conv` : outName, {
          kernel_shape: [kh, kw],
          pads: [top, left, bottom, right],
          strides: [1, 1],
          dilations: [dh, dw],
          group: 1,
        });
        const name = activation === 'relu' ? g.node('Relu', [convOut], outName) : convOut;
        // A k×k kernel reaches (k−1)·d/2 pixels of its own grid, i.e. that many / scale input pixels.
        const reach = Math.max(top, bottom, left, right) / x.scale;
        result = { name, channels: filters, scale: x.scale, radius: x.radius + reach };
        break;
      }
      case 'Activation': {
        const x = single();
        const activation = str(layer, 'activation');
        const op = activation === 'relu' ? 'Relu' : activation === 'linear' ? 'Identity' : undefined;
        if (!op) throw new Error(`${layer.name}: activation ${activation} is not supported`);
        result = { ...x, name: g.node(op, [x.name], outName) };
        break;
      }
      case 'Concatenate': {
        const axis = nhwcAxisToNchw(typeof layer.config.axis === 'number' ? layer.config.axis : -1);
        if (axis !== 1) throw new Error(`${layer.name}: only channel concatenation is supported`);
        const name = g.node('Concat', inputs.map((t) => t.name), outName, { axis });
        result = { name, channels: inputs.reduce((n, t) => n + t.channels, 0), ...sameGrid() };
        break;
      }
      case 'Add': {
        if (inputs.length < 2) throw new Error(`${layer.name}: Add needs two or more inputs`);
        const name = g.node(inputs.length === 2 ? 'Add' : 'Sum', inputs.map((t) => t.name), outName);
        result = { name, channels: inputs[0]!.channels, ...sameGrid() };
        break;
      }
      case 'MultiplyBeta': {
        const x = single();
        const configured = layer.config.beta;
        if (configured !== undefined && configured !== MULTIPLY_BETA) {
          throw new Error(`${layer.name}: beta ${String(configured)}, but UpscalerJS multiplies by ${MULTIPLY_BETA}`);
        }
        result = { ...x, name: g.node('Mul', [x.name, beta()], outName) };
        break;
      }
      case 'UpSampling2D': {
        const x = single();
        const [fh, fw] = pair(layer, 'size');
        if (str(layer, 'interpolation') !== 'nearest') throw new Error(`${layer.name}: only nearest upsampling is supported`);
        if (fh !== fw) throw new Error(`${layer.name}: unequal upsampling factors are not supported`);
        const scales = g.constant(`${layer.name}/scales`, [4], new Float32Array([1, 1, fh, fw]));
        // asymmetric + floor maps output pixel i to input pixel floor(i / f): plain repetition.
        const name = g.node('Resize', [x.name, '', scales], outName, {
          mode: 'nearest',
          coordinate_transformation_mode: 'asymmetric',
          nearest_mode: 'floor',
        });
        result = { name, channels: x.channels, scale: x.scale * fh, radius: x.radius };
        break;
      }
      default: {
        const shuffle = /^PixelShuffle(\d+)x$/.exec(layer.class_name);
        if (!shuffle) throw new Error(`${layer.name}: layer type ${layer.class_name} is not supported`);
        const x = single();
        // UpscalerJS registers one class per scale and reads the factor from the class, not the config.
        const blocksize = Number(shuffle[1]);
        if (layer.config.scale !== undefined && layer.config.scale !== blocksize) {
          throw new Error(`${layer.name}: config.scale ${String(layer.config.scale)} but class ${layer.class_name}`);
        }
        if (x.channels % (blocksize * blocksize) !== 0) throw new Error(`${layer.name}: ${x.channels} channels do not shuffle by ${blocksize}`);
        const name = g.node('DepthToSpace', [x.name], outName, { blocksize, mode: depthToSpaceMode });
        result = { name, channels: x.channels / (blocksize * blocksize), scale: x.scale * blocksize, radius: x.radius };
      }
    }
    tensors.set(layer.name, result);
  }

  const unused = [...weights.keys()].filter((k) => !usedWeights.has(k));
  if (unused.length) throw new Error(`weights not used by any layer: ${unused.join(', ')}`);
  const input = [...tensors.values()].find((t) => t.name === INPUT_NAME);
  const output = tensors.get(outputLayer);
  if (!input || !output || output.name !== OUTPUT_NAME) throw new Error('the output layer was not converted');

  const model = g.build({
    name: options.name,
    input: { name: INPUT_NAME, dims: [1, input.channels, 'height', 'width'] },
    output: { name: OUTPUT_NAME, dims: [1, output.channels, 'out_height', 'out_width'] },
    docString: options.docString ?? '',
    metadata: options.metadata ?? {},
  });
  return {
    model,
    inputChannels: input.channels,
    outputChannels: output.channels,
    scale: output.scale,
    receptiveRadius: Math.ceil(output.radius),
  };
}

function badPadding(layer: LayerConfig, padding: string): never {
  throw new Error(`${layer.name}: padding ${padding} is not supported`);
}
