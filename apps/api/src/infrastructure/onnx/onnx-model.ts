import * as ort from 'onnxruntime-node';
import type { ExecutionProvider } from '../../platform/config/app-config.js';
import type { DataType, ModelSignature, Tensor, TensorData, TensorMetadata } from '../../serving/tensors/tensor.js';

/** ONNX Runtime's element types by the Open Inference Protocol's datatype names. */
const ORT_TYPE: Record<DataType, ort.Tensor.Type> = {
  BOOL: 'bool',
  UINT8: 'uint8',
  UINT16: 'uint16',
  UINT32: 'uint32',
  UINT64: 'uint64',
  INT8: 'int8',
  INT16: 'int16',
  INT32: 'int32',
  INT64: 'int64',
  FP32: 'float32',
  FP64: 'float64',
};
const DATATYPE = new Map(Object.entries(ORT_TYPE).map(([datatype, type]) => [type, datatype as DataType]));

export interface OnnxModelOptions {
  intraOpThreads: number;
  executionProviders: readonly ExecutionProvider[];
}

/** One ONNX Runtime session: the only place that imports onnxruntime-node. */
export class OnnxModel {
  private constructor(private readonly session: ort.InferenceSession) {}

  static async load(path: string, options: OnnxModelOptions): Promise<OnnxModel> {
    const session = await ort.InferenceSession.create(path, {
      executionProviders: [...options.executionProviders],
      intraOpNumThreads: options.intraOpThreads,
      // One inference at a time per worker: parallelism comes from intra-op threads and workers.
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      // Idle ONNX Runtime threads would otherwise spin, taking the cores the event loop and
      // sharp need between inferences.
      extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
    });
    return new OnnxModel(session);
  }

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  /** The graph's inputs and outputs: the protocol's datatypes, -1 for a dynamic (symbolic) dimension. */
  signature(): ModelSignature {
    const describe = (value: ort.InferenceSession.ValueMetadata): TensorMetadata =>
      value.isTensor
        ? { name: value.name, datatype: DATATYPE.get(value.type) ?? value.type, shape: value.shape.map((dim) => (typeof dim === 'number' && dim >= 0 ? dim : -1)) }
        : { name: value.name, datatype: 'non-tensor', shape: [] };
    return { inputs: this.session.inputMetadata.map(describe), outputs: this.session.outputMetadata.map(describe) };
  }

  /** Runs the model on named tensors of any datatype it takes; answers the outputs asked for, in that order. */
  async runTensors(inputs: readonly Tensor[], outputs: readonly string[]): Promise<Tensor[]> {
    const feeds = Object.fromEntries(
      inputs.map((input) => {
        // ONNX Runtime reads a BOOL tensor from a Uint8Array of 0/1 bytes.
        return [input.name, new ort.Tensor(ORT_TYPE[input.datatype], input.data as never, input.shape)];
      }),
    );
    const results = await this.session.run(feeds, [...outputs]);
    return outputs.map((name) => {
      const output = results[name];
      const datatype = output && DATATYPE.get(output.type);
      if (!output || !datatype) throw new Error(`output '${name}' is not a tensor of a supported datatype`);
      return { name, datatype, shape: [...output.dims], data: toTensorData(output.data) };
    });
  }

  /** Runs the model on one float32 input; answers the named output. */
  async run(
    inputName: string,
    data: Float32Array,
    dims: readonly number[],
    outputName: string,
  ): Promise<{ data: Float32Array; dims: readonly number[] }> {
    const feeds = { [inputName]: new ort.Tensor('float32', data, dims) };
    const results = await this.session.run(feeds, [outputName]);
    const output = results[outputName];
    if (!output || output.type !== 'float32') throw new Error(`output '${outputName}' is not a float32 tensor`);
    return { data: output.data as Float32Array, dims: output.dims };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/** ONNX Runtime answers BOOL outputs as a Uint8Array already; other types as their typed array. */
function toTensorData(data: ort.Tensor['data']): TensorData {
  if (ArrayBuffer.isView(data)) return data as TensorData;
  throw new Error('a string tensor cannot be answered as numbers');
}
