import * as ort from 'onnxruntime-node';

/**
 * A session made with the very options the service's `OnnxModel.load` uses, for the benches'
 * bare loops: what they measure is ONNX Runtime alone, not a differently tuned one.
 */
export function createBareSession(weights: string, threads: number): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(weights, {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  });
}
