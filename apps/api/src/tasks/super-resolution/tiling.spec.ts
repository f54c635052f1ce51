import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TensorSpec } from '@dlserve/shared';
import { writeTensorRegion } from '../tensor.js';
import { coreOf, cropTile, planAxis, planTiles } from './tiling.js';

const identity: TensorSpec = { name: 'x', layout: 'NCHW', channels: 'RGB', scale: 1, mean: [0, 0, 0], std: [1, 1, 1] };

describe('planAxis', () => {
  it('uses one span for a length that fits in a tile', () => {
    assert.deepEqual(planAxis(50, 64, 8), [{ start: 0, size: 50, coreStart: 0, coreEnd: 50 }]);
  });

  for (const [length, tile, overlap] of [[100, 64, 8], [1000, 128, 16], [129, 128, 16], [4000, 256, 32]] as const) {
    it(`covers ${length} px with ${tile}-px tiles: cores partition it, tiles stay inside and keep ${overlap} px of context`, () => {
      const spans = planAxis(length, tile, overlap);
      assert.equal(spans[0]!.coreStart, 0);
      assert.equal(spans.at(-1)!.coreEnd, length);
      for (const [i, span] of spans.entries()) {
        if (i > 0) assert.equal(span.coreStart, spans[i - 1]!.coreEnd, 'cores touch, no gap, no overlap');
        assert.equal(span.size, tile);
        assert.ok(span.start >= 0 && span.start + span.size <= length);
        assert.ok(span.coreStart >= span.start && span.coreEnd <= span.start + span.size);
        if (span.coreStart > 0) assert.ok(span.coreStart - span.start >= overlap, 'context before the core');
        if (span.coreEnd < length) assert.ok(span.start + span.size - span.coreEnd >= overlap, 'context after the core');
      }
    });
  }

  it('refuses an overlap that leaves no core', () => {
    assert.throws(() => planAxis(500, 32, 16), /no core/);
  });
});

describe('cropTile, coreOf and writeTensorRegion', () => {
  it('reassemble an image exactly through an identity "model", at scale 1 and 2', () => {
    const width = 37;
    const height = 23;
    const pixels = Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * 7) % 251);
    for (const scale of [1, 2]) {
      const output = { pixels: new Uint8Array(width * scale * height * scale * 3), width: width * scale };
      const tiles = planTiles(width, height, 16, 3);
      assert.equal(tiles.length, 4 * 3, 'cores of at most 16 − 2×3 = 10 px');
      for (const tile of tiles) {
        const crop = cropTile(pixels, width, 3, tile);
        // Nearest-neighbour upscaling, as an NCHW tensor, stands in for the model.
        const [w, h] = [tile.x.size * scale, tile.y.size * scale];
        const tensor = new Float32Array(w * h * 3);
        for (let c = 0; c < 3; c++) {
          for (let y = 0; y < h; y++) {
            for (let x = 0; x < w; x++) {
              tensor[c * w * h + y * w + x] = crop[(Math.floor(y / scale) * tile.x.size + Math.floor(x / scale)) * 3 + c]!;
            }
          }
        }
        const core = coreOf(tile, scale);
        writeTensorRegion(tensor, w, h, identity, core.region, output, core.x, core.y);
      }
      for (let y = 0; y < height * scale; y++) {
        for (let x = 0; x < width * scale; x++) {
          for (let c = 0; c < 3; c++) {
            const expected = pixels[(Math.floor(y / scale) * width + Math.floor(x / scale)) * 3 + c];
            assert.equal(output.pixels[(y * width * scale + x) * 3 + c], expected, `${x},${y},${c} at scale ${scale}`);
          }
        }
      }
    }
  });
});
