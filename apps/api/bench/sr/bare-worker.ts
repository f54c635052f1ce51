/**
 * One bare ONNX Runtime session in a worker thread, for `pnpm bench:sr`: it is given the float
 * tensors of every tile up front, then runs tile `i` whenever told and answers `i`. Nothing else.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { createBareSession } from '../bare-session.js';

export interface BareWorkerData {
  weights: string;
  threads: number;
  input: string;
  output: string;
  tiles: Array<{ data: Float32Array; dims: number[] }>;
}

const port = parentPort!;
const { weights, threads, input, output, tiles } = workerData as BareWorkerData;
const session = await createBareSession(weights, threads);
const feeds = tiles.map(({ data, dims }) => ({ [input]: new ort.Tensor('float32', data, dims) }));
await session.run(feeds[0]!, [output]); // warm-up, as the model workers do
port.on('message', (index: number) => {
  void session.run(feeds[index]!, [output]).then(() => port.postMessage(index));
});
port.postMessage('ready');
