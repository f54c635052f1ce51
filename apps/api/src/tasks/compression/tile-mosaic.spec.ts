import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RawImage } from '../../infrastructure/imaging/image-codec.js';
import { MOSAIC_TILES, TILE, tileMosaic } from './tile-mosaic.js';

/** An image whose every pixel says where it came from: R = tile column, G = tile row. */
function labelled(width: number, height: number): RawImage {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      data[(y * width + x) * 3] = Math.floor(x / TILE);
      data[(y * width + x) * 3 + 1] = Math.floor(y / TILE);
    }
  }
  return { data, width, height, channels: 3 };
}

describe('tileMosaic', () => {
  it('is null for images too small for it to pay off', () => {
    assert.equal(tileMosaic(labelled(640, 427)), null);
  });

  it('lays whole tiles side by side, a small share of the image, spread over it', () => {
    const image = labelled(1000, 872); // 15 × 13 whole tiles
    const mosaic = tileMosaic(image)!;
    assert.equal(mosaic.width % TILE, 0);
    assert.equal(mosaic.height % TILE, 0);
    const cells = (mosaic.width / TILE) * (mosaic.height / TILE);
    assert.ok(cells >= MOSAIC_TILES && cells < MOSAIC_TILES + mosaic.width / TILE, `${cells} cells`);
    const rows = new Set<number>();
    for (let top = 0; top < mosaic.height; top += TILE) {
      for (let left = 0; left < mosaic.width; left += TILE) {
        const at = (dx: number, dy: number): number[] => {
          const i = ((top + dy) * mosaic.width + left + dx) * 3;
          return [mosaic.data[i]!, mosaic.data[i + 1]!];
        };
        assert.deepEqual(at(TILE - 1, TILE - 1), at(0, 0), 'each cell is one whole tile');
        rows.add(at(0, 0)[1]!);
      }
    }
    assert.ok(rows.size >= 12, `${rows.size} of 13 rows of tiles sampled`);
  });

  it('stays small for big images', () => {
    const mosaic = tileMosaic(labelled(3000, 2000))!;
    assert.ok(mosaic.width * mosaic.height <= 25 * TILE * TILE);
  });
});
