import type { LocalizedText } from '@dlserve/shared';

/** The UpscalerJS models dlserve ships, and how each is described to users (English and Chinese). */

export interface ModelSpec {
  /** Folder under models/ and the model's id. */
  name: string;
  title: LocalizedText;
  description: LocalizedText;
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
    title: { en: 'ESRGAN slim ×2', zh: 'ESRGAN 轻量 ×2' },
    description: {
      en: 'Doubles the width and height of a photo with the smallest, fastest ESRGAN model (roughly 5 s per input megapixel on two CPU cores). Good for previews and batches; fine detail comes out softer than with medium or thick.',
      zh: '用最小、最快的 ESRGAN 模型把照片的宽和高各放大到 2 倍（双核 CPU 上每百万像素输入约 5 秒）。适合预览和批量处理；细节不如中型和大型清晰。',
    },
    package: '@upscalerjs/esrgan-slim',
    scale: 2,
    tile: 128,
    overlap: 16,
    verifySizes: VERIFY_SIZES,
  },
  {
    name: 'esrgan-slim-x4',
    title: { en: 'ESRGAN slim ×4', zh: 'ESRGAN 轻量 ×4' },
    description: {
      en: 'Makes a photo four times wider and taller with the smallest, fastest ESRGAN model (roughly 7 s per input megapixel on two CPU cores). Quick, but fine detail comes out softer than with medium or thick.',
      zh: '用最小、最快的 ESRGAN 模型把照片的宽和高各放大到 4 倍（双核 CPU 上每百万像素输入约 7 秒）。速度快，但细节不如中型和大型清晰。',
    },
    package: '@upscalerjs/esrgan-slim',
    scale: 4,
    tile: 128,
    overlap: 16,
    verifySizes: VERIFY_SIZES,
  },
  {
    name: 'esrgan-medium-x2',
    title: { en: 'ESRGAN medium ×2', zh: 'ESRGAN 中型 ×2' },
    description: {
      en: 'Doubles the width and height of a photo. The middle ground: more detail than slim for about three times its time (roughly 14 s per input megapixel on two CPU cores).',
      zh: '把照片的宽和高各放大到 2 倍。速度与细节的折中：细节比轻量版多，耗时约为它的三倍（双核 CPU 上每百万像素输入约 14 秒）。',
    },
    package: '@upscalerjs/esrgan-medium',
    scale: 2,
    tile: 128,
    overlap: 24,
    verifySizes: VERIFY_SIZES,
  },
  {
    name: 'esrgan-medium-x4',
    title: { en: 'ESRGAN medium ×4', zh: 'ESRGAN 中型 ×4' },
    description: {
      en: 'Makes a photo four times wider and taller. The middle ground: more detail than slim for about three times its time (roughly 20 s per input megapixel on two CPU cores).',
      zh: '把照片的宽和高各放大到 4 倍。速度与细节的折中：细节比轻量版多，耗时约为它的三倍（双核 CPU 上每百万像素输入约 20 秒）。',
    },
    package: '@upscalerjs/esrgan-medium',
    scale: 4,
    tile: 128,
    overlap: 24,
    verifySizes: VERIFY_SIZES,
  },
  {
    name: 'esrgan-thick-x4',
    title: { en: 'ESRGAN thick ×4', zh: 'ESRGAN 大型 ×4' },
    description: {
      en: 'Makes a photo four times wider and taller with the largest ESRGAN model (RRDN), for the most detail. Slow: roughly 2 minutes per input megapixel on two CPU cores, so best kept for small images.',
      zh: '用最大的 ESRGAN 模型（RRDN）把照片的宽和高各放大到 4 倍，细节最丰富。速度较慢：双核 CPU 上每百万像素输入约 2 分钟，适合小图。',
    },
    package: '@upscalerjs/esrgan-thick',
    scale: 4,
    tile: 128,
    overlap: 16,
    verifySizes: VERIFY_SIZES,
  },
];
