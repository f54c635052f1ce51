/**
 * A model worker thread: loads its model, warms it up, says `ready`, then runs one request at a
 * time. Everything heavy happens here, off the main thread: tensor conversion, tiling, inference.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ModelRunner } from './model-runner.js';
import { OcrRunner } from '../../tasks/ocr/ocr-runner.js';
import { lowerThreadPriority } from '../../infrastructure/onnx/thread-priority.js';
import type { ModelRequest, ModelResponse, ModelWorkerData, TileProgress, WorkerMessage } from './worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('model-worker.js runs as a worker thread');
const { manifest, weightsPath, ocr, runtime } = workerData as ModelWorkerData;
const post = (message: WorkerMessage<ModelResponse, TileProgress>, transfer: ArrayBuffer[] = []): void =>
  port.postMessage(message, transfer);

// Before the session exists, so that its compute threads inherit the lower priority.
lowerThreadPriority();
const runner =
  manifest.task === 'ocr'
    ? await OcrRunner.load({ detection: weightsPath, ...ocr! }, runtime, manifest.ocr!.recognitionHeight)
    : await ModelRunner.load(manifest, weightsPath, runtime);
await runner.warmUp();
post({ type: 'ready' });

async function handle(request: ModelRequest): Promise<void> {
  const progress = (tilesDone: number, tilesTotal: number): void => post({ type: 'progress', progress: { tilesDone, tilesTotal } });
  if (runner instanceof OcrRunner) {
    if (request.kind !== 'ocr') throw new Error(`an OCR model cannot run a ${request.kind} request`);
    const { text, lines, timings } = await runner.read(request.image, request.settings, (stage, done, total) => {
      if (stage === 'recognise') progress(done, total);
    });
    post({ type: 'done', response: { kind: 'ocr', text, lines, timings } });
  } else if (request.kind === 'image-to-image') {
    const image = await runner.upscale(request.image, request.region);
    post({ type: 'done', response: { kind: 'image-to-image', image } }, [image.pixels.buffer as ArrayBuffer]);
  } else {
    const scores = await runner.classify(request.image);
    post({ type: 'done', response: { kind: 'image-classification', scores } }, [scores.buffer as ArrayBuffer]);
  }
}

port.on('message', (request: ModelRequest) => {
  handle(request).catch((error: unknown) => {
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  });
});
