import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModelSignature } from '../../serving/tensors/tensor.js';
import { parseInferRequest } from './v2-request.js';

const SIGNATURE: ModelSignature = {
  inputs: [
    { name: 'x', datatype: 'FP32', shape: [-1, 2] },
    { name: 'ids', datatype: 'INT64', shape: [-1] },
  ],
  outputs: [
    { name: 'y', datatype: 'FP32', shape: [-1, 2] },
    { name: 'z', datatype: 'BOOL', shape: [-1] },
  ],
};
const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
const ids = { name: 'ids', shape: [1], datatype: 'INT64', data: [7] };

/** The JSON header, then the tensors' bytes, in one buffer of its own. */
function binary(header: unknown, ...tensors: ArrayBufferView[]): { body: Uint8Array; length: string } {
  const head = json(header);
  const body = new Uint8Array(head.length + tensors.reduce((sum, tensor) => sum + tensor.byteLength, 0));
  body.set(head);
  let offset = head.length;
  for (const tensor of tensors) {
    body.set(new Uint8Array(tensor.buffer, tensor.byteOffset, tensor.byteLength), offset);
    offset += tensor.byteLength;
  }
  return { body, length: String(head.length) };
}

describe('parseInferRequest', () => {
  it('reads JSON tensors, flat or nested, into typed arrays of their datatype; every output, as JSON, by default', () => {
    const request = parseInferRequest(json({ id: 'a', inputs: [{ name: 'x', shape: [2, 2], datatype: 'FP32', data: [[1, 2], [3, 4]] }, ids] }), undefined, SIGNATURE);
    assert.equal(request.id, 'a');
    const [x, id] = request.unit.inputs;
    assert.deepEqual([...(x!.data as Float32Array)], [1, 2, 3, 4]);
    assert.deepEqual(x!.shape, [2, 2]);
    assert.ok(id!.data instanceof BigInt64Array);
    assert.equal((id!.data as BigInt64Array)[0], 7n);
    assert.deepEqual(request.unit.outputs, ['y', 'z']);
    assert.deepEqual(request.binaryOutputs, [false, false]);
  });

  it('reads binary tensors after the JSON header as views into the body when aligned, and binary outputs as asked', () => {
    const x = Float32Array.from([1, 2]);
    const id = BigInt64Array.from([5n]);
    // A 3-byte pad in the header moves the data off 4-byte alignment: then it is copied.
    for (const pad of ['', 'abc']) {
      const header = {
        id: pad,
        inputs: [
          { name: 'x', shape: [1, 2], datatype: 'FP32', parameters: { binary_data_size: 8 } },
          { name: 'ids', shape: [1], datatype: 'INT64', parameters: { binary_data_size: 8 } },
        ],
        outputs: [{ name: 'z', parameters: { binary_data: false } }, { name: 'y' }],
        parameters: { binary_data_output: true },
      };
      const { body, length } = binary(header, x, id);
      const request = parseInferRequest(body, length, SIGNATURE);
      assert.deepEqual([...(request.unit.inputs[0]!.data as Float32Array)], [1, 2]);
      assert.equal((request.unit.inputs[1]!.data as BigInt64Array)[0], 5n);
      if (Number(length) % 4 === 0) assert.equal(request.unit.inputs[0]!.data.buffer, body.buffer, 'a view, not a copy');
      assert.deepEqual(request.unit.outputs, ['z', 'y']);
      assert.deepEqual(request.binaryOutputs, [false, true]);
    }
  });

  it('mixes JSON and binary inputs', () => {
    const { body, length } = binary({ inputs: [{ name: 'x', shape: [1, 2], datatype: 'FP32', parameters: { binary_data_size: 8 } }, ids] }, Float32Array.from([3, 4]));
    const request = parseInferRequest(body, length, SIGNATURE);
    assert.deepEqual([...(request.unit.inputs[0]!.data as Float32Array)], [3, 4]);
  });

  it('refuses what does not match the model, saying what', () => {
    const x = { name: 'x', shape: [1, 2], datatype: 'FP32', data: [1, 2] };
    const refuse = (value: unknown, pattern: RegExp) =>
      assert.throws(() => parseInferRequest(typeof value === 'string' ? new TextEncoder().encode(value) : json(value), undefined, SIGNATURE), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'bad_request');
        assert.match(error.message, pattern);
        return true;
      });
    refuse('{"inputs":', /not valid JSON/);
    refuse([x], /JSON object/);
    refuse({ inputs: [x, ids], id: 3 }, /'id' must be a string/);
    refuse({ inputs: [{ ...x, shape: [1, 3], data: [1, 2, 3] }, ids] }, /shape \[1, 3\]; the model takes \[-1, 2\]/);
    refuse({ inputs: [{ ...x, shape: [1, -2] }, ids] }, /non-negative integers/);
    refuse({ inputs: [{ ...x, data: [1, 2, 3] }, ids] }, /more than the 2 elements/);
    refuse({ inputs: [{ ...x, data: [1] }, ids] }, /has 1 elements; its shape gives 2/);
    refuse({ inputs: [{ ...x, data: [1, 'a'] }, ids] }, /not one/);
    refuse({ inputs: [{ ...x, datatype: 'FP64' }, ids] }, /datatype "FP64"; the model takes FP32/);
    refuse({ inputs: [{ ...x, datatype: 'FP16' }, ids] }, /datatype "FP16"/);
    refuse({ inputs: [x, { ...ids, data: [1.5] }] }, /INT64/);
    refuse({ inputs: [{ ...x, name: 'w' }, ids] }, /no input 'w'; its inputs are 'x', 'ids'/);
    refuse({ inputs: [x] }, /Missing input 'ids'/);
    refuse({ inputs: [x, x, ids] }, /given twice/);
    refuse({ inputs: [x, ids], outputs: [{ name: 'q' }] }, /no output 'q'/);
    refuse({ inputs: [x, ids], outputs: [{ name: 'y' }, { name: 'y' }] }, /twice/);
    refuse({ inputs: [x, ids], parameters: { binary_data_output: 'yes' } }, /true or false/);
    refuse({ inputs: [{ ...x, parameters: { binary_data_size: 8 } }, ids] }, /both 'data' and/);
  });

  it('refuses binary sizes that do not add up', () => {
    const header = (size: number) => ({ inputs: [{ name: 'x', shape: [1, 2], datatype: 'FP32', parameters: { binary_data_size: size } }, ids] });
    const refuse = (body: Uint8Array, length: string | undefined, pattern: RegExp) => assert.throws(() => parseInferRequest(body, length, SIGNATURE), pattern);
    const two = Float32Array.from([1, 2]);
    let sent = binary(header(12), two);
    refuse(sent.body, sent.length, /binary_data_size 12; FP32 of shape \[1, 2\] is 8 bytes/);
    sent = binary(header(8), Float32Array.from([1]));
    refuse(sent.body, sent.length, /body ends before/);
    sent = binary(header(8), two, two);
    refuse(sent.body, sent.length, /8 byte\(s\) after/);
    refuse(sent.body, '999', /Inference-Header-Content-Length is 999/);
    refuse(sent.body, 'ten', /must be a number/);
    refuse(sent.body, '0', /not supported/);
    refuse(json(header(8)), undefined, /no Inference-Header-Content-Length/);
    const bools: ModelSignature = { inputs: [{ name: 'b', datatype: 'BOOL', shape: [2] }], outputs: SIGNATURE.outputs };
    sent = binary({ inputs: [{ name: 'b', shape: [2], datatype: 'BOOL', parameters: { binary_data_size: 2 } }] }, Uint8Array.from([1, 2]));
    assert.throws(() => parseInferRequest(sent.body, sent.length, bools), /other than 0 and 1/);
  });
});
