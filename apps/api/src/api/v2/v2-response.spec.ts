import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeInferResponse } from './v2-response.js';

const model = { name: 'm', version: '1' };

describe('encodeInferResponse', () => {
  it('answers JSON data when no output is binary', () => {
    const answer = encodeInferResponse(model, 'r1', [{ name: 'y', datatype: 'FP32', shape: [1, 2], data: Float32Array.from([0.5, 0.25]) }], [false]);
    assert.equal(answer.headerLength, null);
    assert.deepEqual(answer.binary, []);
    assert.equal(answer.contentLength, answer.json.length);
    assert.deepEqual(JSON.parse(answer.json.toString()), { model_name: 'm', model_version: '1', id: 'r1', outputs: [{ name: 'y', datatype: 'FP32', shape: [1, 2], data: [0.5, 0.25] }] });
  });

  it('writes binary outputs after the JSON with their sizes, as views; BOOL and INT64 as JSON values', () => {
    const y = Float32Array.from([1, 2, 3]);
    const answer = encodeInferResponse(
      model,
      'r2',
      [
        { name: 'y', datatype: 'FP32', shape: [3], data: y.subarray(1) },
        { name: 'b', datatype: 'BOOL', shape: [2], data: Uint8Array.from([1, 0]) },
        { name: 'i', datatype: 'INT64', shape: [1], data: BigInt64Array.from([-4n]) },
      ],
      [true, false, false],
    );
    assert.equal(answer.headerLength, answer.json.length);
    assert.equal(answer.contentLength, answer.json.length + 8);
    assert.equal(answer.binary[0]!.buffer, y.buffer, 'no copy');
    assert.deepEqual([...new Float32Array(answer.binary[0]!.slice().buffer)], [2, 3]);
    const header = JSON.parse(answer.json.toString());
    assert.deepEqual(header.outputs[0], { name: 'y', datatype: 'FP32', shape: [3], parameters: { binary_data_size: 8 } });
    assert.deepEqual(header.outputs[1].data, [true, false]);
    assert.deepEqual(header.outputs[2].data, [-4]);
  });
});
