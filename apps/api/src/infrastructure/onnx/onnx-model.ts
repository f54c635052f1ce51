import * as ort from 'onnxruntime-node';
import type { ExecutionProvider } from '../../platform/config/app-config.js';

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
