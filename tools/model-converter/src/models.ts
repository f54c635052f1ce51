/** The UpscalerJS models dlserve ships, and how each is described to users. */

export interface ModelSpec {
  /** Folder under models/ and the model's id. */
  name: string;
  title: string;
  description: string;
  /** The npm package holding the TF.js weights. */
  package: string;
  scale: number;
  /**
   * Tile side and the context kept around each tile, in input pixels. Measured on a photo (see the
   * README): with 12 px of context on each side a tile's output differs from the whole image's by
   * < 0.01 pixel levels for every model here (slim's receptive field is only 10 px; medium's is 18;
   * thick's is 154 in theory but decays to nothing within 12). The overlaps below also hold up if
   * the server splits the overlap between two neighbouring tiles.
   */
  tile: number;
  overlap: number;
  /** Input sizes [height, width] the converter verifies this model on. */
  verifySizes: [number, number][];
}

/** Two sizes, one non-square, so a swapped height/width or a padding slip cannot hide. */
const VERIFY_SIZES: [number, number][] = [
  [16, 16],
  [24, 20],
];

export const MODELS: ModelSpec[] = [
  {
    name: 'esrgan-slim-x2',
    title: 'ESRGAN slim ×2',
    description:
      'Doubles the width and height of a photo with the smallest, fastest ESRGAN model (roughly 5 s per input megapixel on two CPU cores). Good for previews and batches; fine detail comes out softer than with medium or thick.',
    package: '@upscalerjs/esrgan-slim',
    scale: 2,
    tile: 128,
    overlap: 16,
    verifySizes: VERIFY_SIZES,
  },
  {
    name: 'esrgan-slim-x4',
    title: 'ESRGAN slim ×4',
    description:
      'Makes a photo four times wider and taller with the smallest, fastest ESRGAN model (roughly 7 s per input megapixel on two CPU cores). Quick, but fine detail comes out softer than with medium or thick.',
    package: '@upscalerjs/esrgan-slim',
    scale: 4,
    tile: 128,
    overlap: 16,
    verifySizes: VERIFY_SIZES,
  },
  {
    name: 'esrgan-medium-x2',
    title: 'ESRGAN medium ×2',
    description:
      'Doubles the width and height of a photo. The middle ground: more detail than slim for about three times its time (roughly 14 s per input megapixel on two CPU cores).',
    package: '@upscalerjs/esrgan-medium',
    scale: 2,
    tile: 128,
    overlap: 24,
    verifySizes: VERIFY_SIZES,
  },
  {
    name: 'esrgan-medium-x4',
    title: 'ESRGAN medium ×4',
    description:
      'Makes a photo four times wider and taller. The middle ground: more detail than slim for about three times its time (roughly 20 s per input megapixel on two CPU cores).',
    package: '@upscalerjs/esrgan-medium',
    scale: 4,
    tile: 128,
    overlap: 24,
    verifySizes: VERIFY_SIZES,
  },
  {
    name: 'esrgan-thick-x4',
    title: 'ESRGAN thick ×4',
    description:
      'Makes a photo four times wider and taller with the largest ESRGAN model (RRDN), for the most detail. Slow: roughly 2 minutes per input megapixel on two CPU cores, so best kept for small images.',
    package: '@upscalerjs/esrgan-thick',
    scale: 4,
    tile: 128,
    overlap: 16,
    verifySizes: VERIFY_SIZES,
  },
];
