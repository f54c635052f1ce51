import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Scheduler, type BatchingPolicy } from './scheduler.js';

/** A run function that records each batch and waits for the test to let it finish. */
function recorder<In>(answer: (input: In) => unknown = (input) => input) {
  const batches: In[][] = [];
  const pending: Array<() => void> = [];
  return {
    batches,
    /** Lets the oldest running batch finish. */
    finishOne: () => pending.shift()?.(),
    finishAll: async () => {
      while (pending.length > 0) {
        pending.shift()!();
        await sleep(0);
      }
    },
    execute: async (inputs: In[]): Promise<unknown[]> => {
      batches.push(inputs);
      await new Promise<void>((resolve) => pending.push(resolve));
      return inputs.map(answer);
    },
  };
}

const batching = (maxBatchSize: number, more: Partial<BatchingPolicy> = {}): BatchingPolicy => ({
  maxBatchSize,
  preferredBatchSizes: [],
  maxQueueDelayMs: 0,
  ...more,
});

describe('Scheduler', () => {
  it('without batching, runs one unit per run, first in first out, one per instance', async () => {
    const run = recorder<number>();
    const scheduler = new Scheduler<number, number>({ execute: run.execute, instances: 1 });
    const answers = [1, 2, 3].map((n) => scheduler.enqueue(n));
    await sleep(0);
    assert.deepEqual(run.batches, [[1]], 'one instance: one run at a time');
    await run.finishAll();
    await run.finishAll();
    assert.deepEqual(await Promise.all(answers), [1, 2, 3]);
    assert.deepEqual(run.batches, [[1], [2], [3]]);
  });

  it('batches the units that queued while every instance was busy, each answer to its own caller', async () => {
    const run = recorder<number>((n) => n * 10);
    const scheduler = new Scheduler<number, number>({ execute: run.execute, instances: 1, batching: batching(4) });
    const answers = [1, 2, 3, 4, 5, 6].map((n) => scheduler.enqueue(n));
    await sleep(0);
    assert.deepEqual(run.batches, [[1]], 'a lone unit does not wait for company (maxQueueDelay 0)');
    run.finishOne();
    await sleep(0);
    assert.deepEqual(run.batches[1], [2, 3, 4, 5], 'then the next four, at most maxBatchSize');
    await run.finishAll();
    await run.finishAll();
    assert.deepEqual(await Promise.all(answers), [10, 20, 30, 40, 50, 60]);
    assert.deepEqual(scheduler.stats(), { queued: 0, running: 0, batches: 3, units: 6 });
  });

  it('batches only units with the same key, keeping the others in order', async () => {
    const run = recorder<string>();
    const scheduler = new Scheduler<string, string>({ execute: run.execute, instances: 1, batching: batching(8), batchKey: (s) => s[0]! });
    const answers = ['a1', 'a2', 'b1', 'a3', 'b2'].map((s) => scheduler.enqueue(s));
    await sleep(0);
    run.finishOne(); // a1 alone
    await sleep(0);
    assert.deepEqual(run.batches[1], ['a2', 'a3']);
    run.finishOne();
    await sleep(0);
    assert.deepEqual(run.batches[2], ['b1', 'b2']);
    await run.finishAll();
    assert.deepEqual(await Promise.all(answers), ['a1', 'a2', 'b1', 'a3', 'b2']);
  });

  it('takes the largest preferred batch size that fits', async () => {
    const run = recorder<number>();
    const scheduler = new Scheduler<number, number>({ execute: run.execute, instances: 1, batching: batching(8, { preferredBatchSizes: [2, 4] }) });
    const answers = [0, 1, 2, 3, 4, 5, 6].map((n) => scheduler.enqueue(n));
    await sleep(0);
    run.finishOne();
    await sleep(0);
    assert.deepEqual(run.batches[1], [1, 2, 3, 4], 'six wait: a batch of four, not six');
    run.finishOne();
    await sleep(0);
    assert.deepEqual(run.batches[2], [5, 6]);
    await run.finishAll();
    await Promise.all(answers);
  });

  it('waits up to maxQueueDelay for a fuller batch while an instance is free', async () => {
    const run = recorder<number>();
    const scheduler = new Scheduler<number, number>({ execute: run.execute, instances: 1, batching: batching(3, { maxQueueDelayMs: 40 }) });
    const first = scheduler.enqueue(1);
    await sleep(5);
    assert.equal(run.batches.length, 0, 'held back for company');
    const second = scheduler.enqueue(2);
    const third = scheduler.enqueue(3);
    await sleep(0);
    assert.deepEqual(run.batches, [[1, 2, 3]], 'sent as soon as it is full');
    const late = scheduler.enqueue(4);
    await sleep(60);
    assert.deepEqual(run.batches[1], undefined, 'the instance is busy: nothing else runs');
    await run.finishAll();
    await sleep(60);
    assert.deepEqual(run.batches[1], [4], 'alone after the delay');
    await run.finishAll();
    assert.deepEqual(await Promise.all([first, second, third, late]), [1, 2, 3, 4]);
  });

  it('fails only the bad unit of a failed batch: the batch is run again unit by unit', async () => {
    const batches: number[][] = [];
    const scheduler = new Scheduler<number, number>({
      instances: 1,
      batching: batching(4),
      execute: async (inputs) => {
        batches.push(inputs);
        await sleep(1);
        if (inputs.includes(3)) throw new Error('three is bad');
        return inputs;
      },
    });
    const answers = [1, 2, 3, 4].map((n) => scheduler.enqueue(n).then((value) => ({ value }), (error: Error) => ({ error: error.message })));
    const settled = await Promise.all(answers);
    assert.deepEqual(settled, [{ value: 1 }, { value: 2 }, { error: 'three is bad' }, { value: 4 }]);
    assert.deepEqual(batches, [[1], [2, 3, 4], [2], [3], [4]]);
  });

  it('an output count that does not match the batch fails the units, not the scheduler', async () => {
    const scheduler = new Scheduler<number, number>({ instances: 1, execute: async () => [] });
    await assert.rejects(scheduler.enqueue(1), /answered 0 outputs for 1 inputs/);
    await assert.rejects(scheduler.enqueue(2), /answered 0 outputs for 1 inputs/);
  });

  it('drops a waiting unit whose signal aborts, and never runs it', async () => {
    const run = recorder<number>();
    const scheduler = new Scheduler<number, number>({ execute: run.execute, instances: 1 });
    const first = scheduler.enqueue(1);
    const controller = new AbortController();
    const second = scheduler.enqueue(2, { signal: controller.signal });
    const third = scheduler.enqueue(3);
    controller.abort(new Error('client gone'));
    await assert.rejects(second, /client gone/);
    assert.equal(scheduler.stats().queued, 1);
    await run.finishAll();
    await run.finishAll();
    assert.deepEqual(await Promise.all([first, third]), [1, 3]);
    assert.deepEqual(run.batches, [[1], [3]]);
    await assert.rejects(scheduler.enqueue(4, { signal: controller.signal }), /client gone/, 'an aborted signal is refused at once');
  });

  it('reports queue positions by request (a group of units counts once) until the request starts', async () => {
    const run = recorder<string>();
    const scheduler = new Scheduler<string, string>({ execute: run.execute, instances: 1 });
    const positions: Record<'a' | 'b' | 'c', number[]> = { a: [], b: [], c: [] };
    const groups = { a: {}, b: {}, c: {} };
    const started: string[] = [];
    const enqueue = (id: 'a' | 'b' | 'c', unit: string) =>
      scheduler.enqueue(unit, { group: groups[id], onQueued: (p) => positions[id].push(p), onStart: () => started.push(unit) });
    const all = [enqueue('a', 'a1'), enqueue('a', 'a2'), enqueue('b', 'b1'), enqueue('b', 'b2'), enqueue('c', 'c1')];
    await sleep(0);
    // a is running: b waits behind nobody (a has started), c behind b.
    assert.deepEqual(positions, { a: [0], b: [0], c: [1] });
    await run.finishAll();
    await run.finishAll();
    await run.finishAll();
    await run.finishAll();
    await run.finishAll();
    await Promise.all(all);
    assert.deepEqual(started, ['a1', 'a2', 'b1', 'b2', 'c1']);
    assert.deepEqual(positions.c, [1, 0]);
  });

  it('keeps a request’s place: its later units go ahead of requests that came after it', async () => {
    const run = recorder<string>();
    const scheduler = new Scheduler<string, string>({ execute: run.execute, instances: 1 });
    const [a, b] = [{}, {}];
    const answers = [scheduler.enqueue('a1', { group: a }), scheduler.enqueue('b1', { group: b })];
    await sleep(0);
    answers.push(scheduler.enqueue('a2', { group: a }), scheduler.enqueue('c1'));
    await run.finishAll();
    await run.finishAll();
    await run.finishAll();
    await run.finishAll();
    await Promise.all(answers);
    assert.deepEqual(run.batches, [['a1'], ['a2'], ['b1'], ['c1']]);
  });

  it('close fails what waits; what runs finishes', async () => {
    const run = recorder<number>();
    const scheduler = new Scheduler<number, number>({ execute: run.execute, instances: 1, closedError: () => new Error('shutting down') });
    const running = scheduler.enqueue(1);
    const waiting = scheduler.enqueue(2);
    await sleep(0);
    let closed = false;
    const closing = scheduler.close().then(() => (closed = true));
    await assert.rejects(waiting, /shutting down/);
    await assert.rejects(scheduler.enqueue(3), /shutting down/);
    await sleep(5);
    assert.equal(closed, false, 'close waits for the running batch');
    await run.finishAll();
    assert.equal(await running, 1);
    await closing;
    assert.equal(closed, true);
  });

  it('runs up to `instances` batches at once', async () => {
    const run = recorder<number>();
    const scheduler = new Scheduler<number, number>({ execute: run.execute, instances: 2, batching: batching(2) });
    const answers = [1, 2, 3, 4, 5].map((n) => scheduler.enqueue(n));
    await sleep(0);
    assert.deepEqual(run.batches, [[1], [2]]);
    assert.equal(scheduler.stats().running, 2);
    run.finishOne();
    await sleep(0);
    assert.deepEqual(run.batches[2], [3, 4]);
    await run.finishAll();
    await run.finishAll();
    assert.deepEqual(await Promise.all(answers), [1, 2, 3, 4, 5]);
  });
});
