import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nhwcAxisToNchw, samePadding, transposeHwioToOihw } from './kernels.js';

describe('transposeHwioToOihw', () => {
  it('moves [h][w][i][o] to [o][i][h][w]', () => {
    const [H, W, I, O] = [2, 3, 2, 4];
    // Encode each element's own coordinates in its value so any misplacement shows.
    const code = (h: number, w: number, i: number, o: number): number => 1000 * h + 100 * w + 10 * i + o;
    const hwio = new Float32Array(H * W * I * O);
    for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) for (let i = 0; i < I; i++) for (let o = 0; o < O; o++) hwio[((h * W + w) * I + i) * O + o] = code(h, w, i, o);

    const { shape, values } = transposeHwioToOihw(hwio, [H, W, I, O]);

    assert.deepEqual(shape, [O, I, H, W]);
    for (let o = 0; o < O; o++) for (let i = 0; i < I; i++) for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) {
      assert.equal(values[((o * I + i) * H + h) * W + w], code(h, w, i, o));
    }
  });

  it('on a 1×1 kernel is the matrix transpose', () => {
    // 1×1×2×3: in 2, out 3.
    const { shape, values } = transposeHwioToOihw(new Float32Array([1, 2, 3, 4, 5, 6]), [1, 1, 2, 3]);
    assert.deepEqual(shape, [3, 2, 1, 1]);
    assert.deepEqual([...values], [1, 4, 2, 5, 3, 6]);
  });

  it('rejects a shape that does not match the data', () => {
    assert.throws(() => transposeHwioToOihw(new Float32Array(5), [1, 1, 2, 3]), /5 values/);
    assert.throws(() => transposeHwioToOihw(new Float32Array(6), [2, 3]), /HWIO/);
  });
});

describe('samePadding', () => {
  it("matches TF's SAME: odd kernels symmetric, the extra pixel of an even kernel at the end", () => {
    assert.deepEqual(samePadding(1), [0, 0]);
    assert.deepEqual(samePadding(3), [1, 1]);
    assert.deepEqual(samePadding(5), [2, 2]);
    assert.deepEqual(samePadding(2), [0, 1]);
    assert.deepEqual(samePadding(4), [1, 2]);
    assert.deepEqual(samePadding(3, 2), [2, 2]);
  });
});

describe('nhwcAxisToNchw', () => {
  it('maps N, H, W, C and negative axes', () => {
    assert.deepEqual([0, 1, 2, 3].map((a) => nhwcAxisToNchw(a)), [0, 2, 3, 1]);
    assert.equal(nhwcAxisToNchw(-1), 1);
  });
});
