/**
 * UpscalerJS's PixelShuffle is tf.depthToSpace on NHWC. ONNX's DepthToSpace on NCHW has two
 * channel orders, DCR and CRD; only one is TF's. A hand-made 1×1 pixel with 8 channels, block 2:
 * TF puts channels (i·2 + j)·C + c at output pixel (i, j), channel c.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { GraphBuilder } from '../onnx/graph-builder.js';
import { encodeModel } from '../onnx/onnx-proto.js';
import { nchwToNhwc, nhwcToNchw } from '../verify/layout.js';
import { OnnxRunner } from '../verify/runners.js';
import { randomImage } from '../verify/seeded-random.js';
import type { DepthToSpaceMode } from './layers-to-onnx.js';

async function onnxDepthToSpace(mode: DepthToSpaceMode, blocksize: number, nhwc: Float32Array, h: number, w: number, c: number): Promise<Float32Array> {
  const g = new GraphBuilder();
  g.node('DepthToSpace', ['input'], 'output', { blocksize, mode });
  const model = encodeModel(
    g.build({ name: 'd2s', input: { name: 'input', dims: [1, c, h, w] }, output: { name: 'output', dims: [1, c / blocksize ** 2, h * blocksize, w * blocksize] }, docString: '', metadata: {} }),
  );
  const runner = await OnnxRunner.create(model);
  try {
    const out = await runner.run({ data: nhwcToNchw(nhwc, h, w, c), height: h, width: w, channels: c });
    return nchwToNhwc(out.data, out.height, out.width, out.channels);
  } finally {
    await runner.release();
  }
}

describe('DepthToSpace channel order', () => {
  // One pixel, channels 0…7, block 2 → a 2×2 image with 2 channels.
  const pixel = Float32Array.from({ length: 8 }, (_, i) => i);
  // NHWC rows: (0,0) = [0,1], (0,1) = [2,3], (1,0) = [4,5], (1,1) = [6,7].
  const expected = [0, 1, 2, 3, 4, 5, 6, 7];

  it('tf.depthToSpace (NHWC) puts channel block (i·2 + j) at pixel (i, j)', () => {
    const out = tf.tidy(() => tf.depthToSpace(tf.tensor4d(pixel, [1, 1, 1, 8]), 2, 'NHWC').dataSync());
    assert.deepEqual([...out], expected);
  });

  it('ONNX DepthToSpace mode DCR gives the same; CRD does not', async () => {
    assert.deepEqual([...(await onnxDepthToSpace('DCR', 2, pixel, 1, 1, 8))], expected);
    // CRD takes the channel as c·4 + (i·2 + j): pixel (0,0) = [0,4], (0,1) = [1,5], …
    assert.deepEqual([...(await onnxDepthToSpace('CRD', 2, pixel, 1, 1, 8))], [0, 4, 1, 5, 2, 6, 3, 7]);
  });

  it('DCR matches tf.depthToSpace on a random 3×2×48 image, block 4 (thick ×4’s shape)', async () => {
    const [h, w, c] = [3, 2, 48];
    const data = randomImage(h, w, c, 7);
    const want = tf.tidy(() => tf.depthToSpace(tf.tensor4d(data, [1, h, w, c]), 4, 'NHWC').dataSync());
    assert.deepEqual([...(await onnxDepthToSpace('DCR', 4, data, h, w, c))], [...want]);
  });
});
