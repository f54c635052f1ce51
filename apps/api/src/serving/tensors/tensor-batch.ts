import { TYPED_ARRAY, elementCount, type Tensor, type TensorUnit } from './tensor.js';

/**
 * Requests' tensors stacked along dim 0 into one run, and the run's outputs cut back per request.
 * Runs in a model's worker. The units of a batch share a batch key (`tensorBatchKey`): the same
 * inputs, datatypes and shapes beyond dim 0.
 */
export function stackBatch(units: readonly TensorUnit[]): { inputs: Tensor[]; rows: number[] } {
  const [first] = units;
  if (!first) throw new Error('an empty batch');
  const rows = units.map((unit) => unit.inputs[0]?.shape[0] ?? 0);
  if (units.length === 1) return { inputs: first.inputs, rows };
  const total = rows.reduce((sum, count) => sum + count, 0);
  const inputs = first.inputs.map((input, i): Tensor => {
    const shape = [total, ...input.shape.slice(1)];
    const data = new TYPED_ARRAY[input.datatype](elementCount(shape));
    let offset = 0;
    for (const unit of units) {
      const part = unit.inputs[i]!;
      if (part.name !== input.name || part.datatype !== input.datatype) throw new Error('the units of a batch must have the same inputs');
      (data as Float32Array).set(part.data as Float32Array, offset);
      offset += part.data.length;
    }
    return { name: input.name, datatype: input.datatype, shape, data };
  });
  return { inputs, rows };
}

/** Each unit's part of the batch's outputs (views, no copy): `rows[k]` rows of dim 0 each. */
export function splitBatch(outputs: readonly Tensor[], rows: readonly number[]): Tensor[][] {
  if (rows.length === 1) return [[...outputs]];
  const total = rows.reduce((sum, count) => sum + count, 0);
  for (const output of outputs) {
    if (output.shape[0] !== total) throw new Error(`output '${output.name}' has ${output.shape[0]} rows for a batch of ${total}`);
  }
  let start = 0;
  return rows.map((count) => {
    const parts = outputs.map((output): Tensor => {
      const row = total === 0 ? 0 : output.data.length / total;
      const data = output.data.subarray(start * row, (start + count) * row);
      return { name: output.name, datatype: output.datatype, shape: [count, ...output.shape.slice(1)], data };
    });
    start += count;
    return parts;
  });
}
