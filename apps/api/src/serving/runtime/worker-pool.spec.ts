import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { WorkerPool, WorkerTaskError } from './worker-pool.js';

type Request = { op: 'echo'; value: number } | { op: 'progress' } | { op: 'fail' } | { op: 'exit' } | { op: 'throw' } | { op: 'slow'; ms: number };
const script = new URL('./worker-pool.fixture.js', import.meta.url);

describe('WorkerPool', () => {
  let pool: WorkerPool<Request, number, number> | undefined;
  afterEach(() => pool?.close());

  async function started(size: number, workerData: unknown = {}): Promise<WorkerPool<Request, number, number>> {
    pool = new WorkerPool<Request, number, number>({ script, workerData, size, name: 'test pool' });
    await pool.start();
    return pool;
  }

  it('runs tasks in workers and relays their progress', async () => {
    const p = await started(2);
    assert.deepEqual(await Promise.all([1, 2, 3].map((value) => p.run({ op: 'echo', value }))), [2, 4, 6]);
    const seen: number[] = [];
    assert.equal(await p.run({ op: 'progress' }, { onProgress: (step) => seen.push(step) }), -1);
    assert.deepEqual(seen, [1, 2, 3]);
  });

  it('queues beyond its size and tells each waiting task its position', async () => {
    const p = await started(1);
    const positions: number[][] = [[], [], []];
    const runs = [0, 1, 2].map((i) => p.run({ op: 'slow', ms: 30 }, { onQueued: (position) => positions[i]!.push(position) }));
    await Promise.all(runs);
    assert.deepEqual(positions[0], [0], 'the first task starts at once');
    assert.deepEqual(positions[2], [1, 0], 'the third waits behind the second, then moves up');
  });

  it('counts the requests ahead, not their tasks: a group is one request, and a started one waits no more', async () => {
    const p = await started(1);
    const [a, b] = [{}, {}];
    const slow = { op: 'slow', ms: 20 } as const;
    const runs = [a, a, a].map((group) => p.run(slow, { group }));
    const positions: number[] = [];
    runs.push(...[b, b].map((group) => p.run(slow, { group, onQueued: (position) => positions.push(position) })));
    const alone: number[] = [];
    runs.push(p.run(slow, { onQueued: (position) => alone.push(position) }));
    await Promise.all(runs);
    assert.deepEqual(positions, [0], 'a has started: b waits behind no request');
    assert.deepEqual(alone, [1, 0], 'behind b, then first');
  });

  it('fails only the task whose model fails', async () => {
    const p = await started(1);
    await assert.rejects(p.run({ op: 'fail' }), (error: Error) => error instanceof WorkerTaskError && /refused/.test(error.message));
    assert.equal(await p.run({ op: 'echo', value: 5 }), 10);
  });

  for (const op of ['exit', 'throw'] as const) {
    it(`recovers when a worker dies (${op}): that task fails, the next ones run`, async () => {
      const p = await started(1);
      const dying = p.run({ op });
      const next = p.run({ op: 'echo', value: 21 });
      await assert.rejects(dying, (error: Error) => error instanceof WorkerTaskError && /worker/.test(error.message));
      assert.equal(await next, 42);
      assert.equal(await p.run({ op: 'echo', value: 1 }), 2);
    });
  }

  it('refuses to start when the worker cannot load, saying why', async () => {
    pool = new WorkerPool<Request, number, number>({ script, workerData: { failToStart: true }, size: 1, name: 'broken model' });
    await assert.rejects(pool.start(), /broken model: cannot load the model/);
  });

  it('rejects work after close', async () => {
    const p = await started(1);
    await p.close();
    await assert.rejects(p.run({ op: 'echo', value: 1 }), /shut down/);
  });
});
