import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GraphBuilder, OPSET_VERSION } from './graph-builder.js';
import { decodeModel, encodeModel } from './onnx-proto.js';

describe('encodeModel', () => {
  it('writes a ModelProto that reads back field for field', () => {
    const g = new GraphBuilder();
    const w = g.constant('w', [2], new Float32Array([0.5, -2]));
    g.node('Mul', ['input', w], 'output');
    g.node('Identity', ['output'], 'unused', { f: { float: 0.25 }, i: 3, s: 'DCR', ints: [1, -1] });
    const bytes = encodeModel(
      g.build({
        name: 'tiny',
        input: { name: 'input', dims: [1, 2, 'height', 'width'] },
        output: { name: 'output', dims: [1, 2, 'height', 'width'] },
        docString: 'doc',
        metadata: { source: 'test' },
      }),
    );

    const model = decodeModel(bytes);
    assert.equal(model.irVersion, 8);
    assert.deepEqual(model.opsetImport, [{ domain: '', version: OPSET_VERSION }]);
    assert.deepEqual(model.metadataProps, [{ key: 'source', value: 'test' }]);
    const init = model.graph.initializer[0]!;
    assert.deepEqual(init.dims, [2]);
    assert.deepEqual([...new Float32Array(new Uint8Array(init.rawData).buffer)], [0.5, -2]);
    const attrs = model.graph.node[1]!.attribute;
    assert.equal(attrs.find((a) => a.name === 'f')?.f, 0.25);
    assert.equal(attrs.find((a) => a.name === 'i')?.i, 3);
    assert.equal(new TextDecoder().decode(attrs.find((a) => a.name === 's')?.s), 'DCR');
    assert.deepEqual(attrs.find((a) => a.name === 'ints')?.ints, [1, -1]);
    assert.deepEqual(model.graph.input[0]!.type.tensorType.shape.dim, [{ dimValue: 1 }, { dimValue: 2 }, { dimParam: 'height' }, { dimParam: 'width' }]);
  });

  it('refuses two tensors of the same name', () => {
    const g = new GraphBuilder();
    g.node('Relu', ['input'], 'x');
    assert.throws(() => g.node('Relu', ['x'], 'x'), /duplicate/);
  });
});
