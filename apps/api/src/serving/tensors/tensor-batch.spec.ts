import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitBatch, stackBatch } from './tensor-batch.js';
import { TENSOR_UNIT, tensorBatchKey, type ModelSignature, type TensorUnit } from './tensor.js';

const unit = (rows: number, first: number): TensorUnit => ({
  [TENSOR_UNIT]: true,
  inputs: [{ name: 'x', datatype: 'FP32', shape: [rows, 2], data: Float32Array.from({ length: rows * 2 }, (_, i) => first + i) }],
  outputs: ['y'],
});
const dynamic: ModelSignature = { inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 2] }], outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 1] }] };

describe('stacking tensors along dim 0', () => {
  it('stacks the units of a batch and cuts the outputs back by their rows', () => {
    const { inputs, rows } = stackBatch([unit(1, 0), unit(2, 10)]);
    assert.deepEqual(rows, [1, 2]);
    assert.deepEqual(inputs[0]!.shape, [3, 2]);
    assert.deepEqual([...(inputs[0]!.data as Float32Array)], [0, 1, 10, 11, 12, 13]);
    const parts = splitBatch([{ name: 'y', datatype: 'FP32', shape: [3, 1], data: Float32Array.from([7, 8, 9]) }], rows);
    assert.deepEqual(parts.map((part) => [part[0]!.shape, [...(part[0]!.data as Float32Array)]]), [[[1, 1], [7]], [[2, 1], [8, 9]]]);
    assert.throws(() => splitBatch([{ name: 'y', datatype: 'FP32', shape: [1, 1], data: Float32Array.from([7]) }], rows), /1 rows for a batch of 3/);
  });

  it('a unit alone runs as it is', () => {
    const alone = unit(1, 0);
    assert.equal(stackBatch([alone]).inputs, alone.inputs);
  });

  it('keys units by their shapes beyond dim 0; a model without a dynamic dim 0 never batches', () => {
    assert.equal(tensorBatchKey(unit(1, 0), dynamic), tensorBatchKey(unit(3, 5), dynamic));
    const other = unit(1, 0);
    other.inputs[0]!.shape = [1, 3];
    assert.notEqual(tensorBatchKey(other, dynamic), tensorBatchKey(unit(1, 0), dynamic));
    const fixed: ModelSignature = { ...dynamic, inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 2] }] };
    const [a, b] = [unit(1, 0), unit(1, 0)];
    assert.notEqual(tensorBatchKey(a, fixed), tensorBatchKey(b, fixed));
    assert.equal(tensorBatchKey(a, fixed), tensorBatchKey(a, fixed), 'the same unit keeps its key');
  });
});
