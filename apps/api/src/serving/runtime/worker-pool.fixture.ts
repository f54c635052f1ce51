/** A worker for worker-pool.spec.ts: does what each request says, including dying. */
import { parentPort, workerData } from 'node:worker_threads';

type Request = { op: 'echo'; value: number } | { op: 'progress' } | { op: 'fail' } | { op: 'exit' } | { op: 'throw' } | { op: 'slow'; ms: number };
const port = parentPort!;
const { failToStart } = (workerData ?? {}) as { failToStart?: boolean };
if (failToStart) throw new Error('cannot load the model');

port.postMessage({ type: 'ready' });
port.on('message', (request: Request) => {
  switch (request.op) {
    case 'echo':
      port.postMessage({ type: 'done', response: request.value * 2 });
      break;
    case 'progress':
      for (let i = 1; i <= 3; i++) port.postMessage({ type: 'progress', progress: i });
      port.postMessage({ type: 'done', response: -1 });
      break;
    case 'fail':
      port.postMessage({ type: 'failed', message: 'the model refused' });
      break;
    case 'exit':
      process.exit(3);
      break;
    case 'throw':
      setImmediate(() => {
        throw new Error('boom');
      });
      break;
    case 'slow':
      setTimeout(() => port.postMessage({ type: 'done', response: request.ms }), request.ms);
      break;
  }
});
