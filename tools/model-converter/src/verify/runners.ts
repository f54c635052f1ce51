/**
 * The two runtimes verification compares: onnxruntime-node for the converted model and TF.js
 * (pure-JS CPU backend) for the original. Both take and return one NHWC/NCHW float image.
 */
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { concatBytes, readLayersModelFiles } from '../tfjs/layers-model.js';

export interface Image {
  data: Float32Array;
  height: number;
  width: number;
  channels: number;
}

export class OnnxRunner {
  private constructor(private readonly session: ort.InferenceSession) {}

  static async create(model: Uint8Array): Promise<OnnxRunner> {
    return new OnnxRunner(await ort.InferenceSession.create(model, { graphOptimizationLevel: 'all' }));
  }

  /** Runs an NCHW image through the model's single input and output. */
  async run(nchw: Image): Promise<Image> {
    const [inputName] = this.session.inputNames;
    const [outputName] = this.session.outputNames;
    if (!inputName || !outputName) throw new Error('the model has no input or output');
    const input = new ort.Tensor('float32', nchw.data, [1, nchw.channels, nchw.height, nchw.width]);
    const result = (await this.session.run({ [inputName]: input }))[outputName];
    if (!result || result.type !== 'float32' || result.dims.length !== 4) throw new Error('unexpected output');
    const [, channels, height, width] = result.dims as [number, number, number, number];
    return { data: result.data as Float32Array, height, width, channels };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

const WEIGHT_DTYPES = ['float32', 'int32', 'bool', 'string', 'complex64'] as const;
type WeightDtype = (typeof WEIGHT_DTYPES)[number];

function isWeightDtype(dtype: string): dtype is WeightDtype {
  return (WEIGHT_DTYPES as readonly string[]).includes(dtype);
}

/** A TF.js IOHandler that reads model.json and its shards from disk, as the browser would fetch them. */
export function fileSystemHandler(modelJsonPath: string): tf.io.IOHandler {
  return {
    load: async () => {
      const { json, groupBytes } = await readLayersModelFiles(modelJsonPath);
      const weightSpecs = json.weightsManifest.flatMap((group) =>
        group.weights.map((w) => {
          if (!isWeightDtype(w.dtype)) throw new Error(`${w.name}: dtype ${w.dtype}`);
          return { name: w.name, shape: w.shape, dtype: w.dtype };
        }),
      );
      // concatBytes allocates a fresh buffer of exactly the weights, so it can be handed over whole.
      const bytes = concatBytes(groupBytes);
      return {
        modelTopology: json.modelTopology,
        weightSpecs,
        weightData: bytes.buffer,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
      };
    },
  };
}

export class TfjsRunner {
  private constructor(private readonly model: tf.LayersModel) {}

  /** Loads a layers model; custom layers must be registered with `tf.serialization` first. */
  static async load(handler: tf.io.IOHandler): Promise<TfjsRunner> {
    await tf.setBackend('cpu');
    return new TfjsRunner(await tf.loadLayersModel(handler));
  }

  static fromModel(model: tf.LayersModel): TfjsRunner {
    return new TfjsRunner(model);
  }

  /** Runs an NHWC image through the model. */
  run(nhwc: Image): Image {
    const output = tf.tidy(() => {
      const x = tf.tensor4d(nhwc.data, [1, nhwc.height, nhwc.width, nhwc.channels]);
      const y = this.model.predict(x);
      if (Array.isArray(y)) throw new Error('expected one output');
      return y;
    });
    const [, height, width, channels] = output.shape as [number, number, number, number];
    const data = output.dataSync() as Float32Array;
    output.dispose();
    return { data: Float32Array.from(data), height, width, channels };
  }

  dispose(): void {
    this.model.dispose();
  }
}
