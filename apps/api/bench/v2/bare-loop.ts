/**
 * One bare ONNX Runtime session in a worker thread, for `pnpm bench:v2`: runs the same tensor
 * through `session.run` back to back for `seconds` and answers how many runs it finished.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { createBareSession } from '../bare-session.js';

export interface BareLoopData {
  weights: string;
  threads: number;
  input: string;
  output: string;
  data: Float32Array;
  dims: number[];
  seconds: number;
}

const { weights, threads, input, output, data, dims, seconds } = workerData as BareLoopData;
const session = await createBareSession(weights, threads);
const feeds = { [input]: new ort.Tensor('float32', data, dims) };
await session.run(feeds, [output]); // warm-up, as the model workers do
parentPort!.postMessage('ready');
parentPort!.once('message', async () => {
  const end = performance.now() + seconds * 1000;
  let runs = 0;
  while (performance.now() < end) {
    await session.run(feeds, [output]);
    runs++;
  }
  parentPort!.postMessage(runs);
});
