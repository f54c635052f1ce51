import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';

/** Each thread's nice value (field 19 of /proc/<pid>/task/<tid>/stat), the main thread first. */
function niceOfThreads(): number[] {
  return readdirSync('/proc/self/task')
    .map(Number)
    .sort((a, b) => a - b)
    .map((tid) => Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]));
}

describe('lowerThreadPriority', { skip: process.platform !== 'linux' && 'Linux only' }, () => {
  it('lowers the calling worker thread only, never the main thread', async () => {
    const module = JSON.stringify(new URL('./thread-priority.js', import.meta.url).href);
    const worker = new Worker(
      `import(${module}).then(({ lowerThreadPriority }) => {
         require('node:worker_threads').parentPort.postMessage(lowerThreadPriority(7));
         setTimeout(() => {}, 10_000);
       });`,
      { eval: true },
    );
    try {
      assert.equal(await new Promise((resolve) => worker.once('message', resolve)), true);
      const nices = niceOfThreads();
      assert.equal(nices[0], 0, 'the main thread keeps its priority');
      assert.equal(nices.filter((nice) => nice === 7).length, 1, `one thread at nice 7 among ${nices}`);
    } finally {
      await worker.terminate();
    }
  });
});
