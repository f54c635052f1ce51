import type { RawImage } from '../../infrastructure/imaging/image-codec.js';

/**
 * A small stand-in for an image, for guessing where a quality search should start: MOSAIC_TILES
 * 64×64 tiles spread evenly over the image and laid out side by side. Tiles keep the image's
 * detail at full scale (downscaling would not), so a quality reaches about the same SSIM on the
 * mosaic as on the whole image (within a few steps, on the fixtures). 64 pixels matches the
 * encoders' largest blocks, so tile seams fall on block edges.
 */

export const TILE = 64;
/** 0.1 MP: enough for a guess that is only a start, and cheap to encode a few times. */
export const MOSAIC_TILES = 24;
/**
 * The mosaic must be at most this fraction of the image to pay for itself: searching it costs
 * about one round of encodes at its size, and saves a round at full size only now and then.
 */
const MAX_SHARE = 1 / 5;

/** The mosaic of an image, or null when the image is too small for one to pay off. */
export function tileMosaic(image: RawImage): RawImage | null {
  const tiles = sampledTiles(image);
  if (tiles.length === 0) return null;
  const columns = Math.ceil(Math.sqrt(tiles.length));
  const rows = Math.ceil(tiles.length / columns);
  const width = columns * TILE;
  const { channels } = image;
  const data = Buffer.alloc(width * rows * TILE * channels);
  // Cells left over in the last row repeat the first tiles rather than stay flat (flat is too easy).
  for (let cell = 0; cell < columns * rows; cell++) {
    const tile = tiles[cell % tiles.length]!;
    const left = (cell % columns) * TILE;
    const top = Math.floor(cell / columns) * TILE;
    for (let row = 0; row < TILE; row++) {
      const from = ((tile.top + row) * image.width + tile.left) * channels;
      image.data.copy(data, ((top + row) * width + left) * channels, from, from + TILE * channels);
    }
  }
  return { data, width, height: rows * TILE, channels };
}

/** MOSAIC_TILES whole tiles, evenly spaced in row-major order; none if the image is too small. */
function sampledTiles(image: RawImage): { left: number; top: number }[] {
  const across = Math.floor(image.width / TILE);
  const all = across * Math.floor(image.height / TILE);
  if (MOSAIC_TILES > all * MAX_SHARE) return [];
  const count = MOSAIC_TILES;
  return Array.from({ length: count }, (_, i) => {
    const index = Math.floor(((i + 0.5) * all) / count);
    return { left: (index % across) * TILE, top: Math.floor(index / across) * TILE };
  });
}
