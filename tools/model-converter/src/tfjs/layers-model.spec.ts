import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { concatBytes, decodeWeights, functionalConfig, type LayersModelJson, type WeightGroup } from './layers-model.js';

function float32Bytes(values: number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return bytes;
}

describe('decodeWeights', () => {
  const manifest: WeightGroup[] = [
    {
      paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'],
      weights: [
        { name: 'a/kernel', shape: [2, 2], dtype: 'float32' },
        { name: 'a/bias', shape: [3], dtype: 'float32' },
      ],
    },
    { paths: ['group2-shard1of1.bin'], weights: [{ name: 'b/kernel', shape: [1], dtype: 'float32' }] },
  ];

  it('cuts weights out of shards concatenated per group, in manifest order', () => {
    const group1 = float32Bytes([1, 2, 3, 4, 5.5, -6, 7e-8]);
    // A shard boundary in the middle of a float: shards are one stream cut at arbitrary bytes.
    const shards = [group1.slice(0, 10), group1.slice(10)];
    const weights = decodeWeights(manifest, [concatBytes(shards), float32Bytes([42])]);

    assert.deepEqual([...weights.keys()], ['a/kernel', 'a/bias', 'b/kernel']);
    assert.deepEqual(weights.get('a/kernel')?.shape, [2, 2]);
    assert.deepEqual([...weights.get('a/kernel')!.values], [1, 2, 3, 4]);
    assert.deepEqual([...weights.get('a/bias')!.values], [5.5, -6, Math.fround(7e-8)]);
    // Offsets restart at zero in every group.
    assert.deepEqual([...weights.get('b/kernel')!.values], [42]);
  });

  it('rejects shards that are too short or too long', () => {
    assert.throws(() => decodeWeights(manifest, [float32Bytes([1, 2, 3, 4, 5, 6]), float32Bytes([1])]), /a\/bias: needs bytes 16–28/);
    assert.throws(() => decodeWeights(manifest, [float32Bytes([1, 2, 3, 4, 5, 6, 7, 8]), float32Bytes([1])]), /4 bytes left over/);
  });

  it('rejects quantized and non-float weights rather than misreading them', () => {
    const quantized: WeightGroup[] = [
      { paths: ['x.bin'], weights: [{ name: 'q', shape: [4], dtype: 'float32', quantization: { dtype: 'uint8', scale: 1, min: 0 } }] },
    ];
    assert.throws(() => decodeWeights(quantized, [new Uint8Array(4)]), /quantized/);
    const ints: WeightGroup[] = [{ paths: ['x.bin'], weights: [{ name: 'i', shape: [1], dtype: 'int32' }] }];
    assert.throws(() => decodeWeights(ints, [new Uint8Array(4)]), /dtype int32/);
  });
});

describe('functionalConfig', () => {
  const config = { layers: [], input_layers: [], output_layers: [] };

  it('reads the Keras config from model_config (the Python converter) or the top level (tfjs save)', () => {
    const fromPython: LayersModelJson = { modelTopology: { model_config: { class_name: 'Functional', config } }, weightsManifest: [] };
    const fromTfjs: LayersModelJson = { modelTopology: { class_name: 'Model', config }, weightsManifest: [] };
    assert.equal(functionalConfig(fromPython), config);
    assert.equal(functionalConfig(fromTfjs), config);
  });

  it('refuses Sequential models', () => {
    const sequential: LayersModelJson = { modelTopology: { model_config: { class_name: 'Sequential', config } }, weightsManifest: [] };
    assert.throws(() => functionalConfig(sequential), /only functional/);
  });
});
