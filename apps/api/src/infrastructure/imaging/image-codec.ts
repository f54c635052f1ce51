import { Injectable } from '@nestjs/common';
import type { ImageFormat, ModelManifest } from '@dlserve/shared';
import sharp, { type Metadata, type Sharp, type SharpOptions } from 'sharp';
import { AppError } from '../../platform/errors/app-error.js';
import { encodePng, PngWriter, type RowEncoder } from './png-encoder.js';

/** Interleaved 8-bit RGB pixels in memory of their own. */
/** How an image is brought to a model's input size (`ModelManifest.classification.fit`). */
export type ImageFit = NonNullable<NonNullable<ModelManifest['classification']>['fit']>;

export interface RgbPixels {
  pixels: Uint8Array;
  width: number;
  height: number;
}

/** What dlserve knows about an input image, from its bytes alone. */
export interface ImageInfo {
  format: ImageFormat;
  mimeType: string;
  /** File extension without the dot, e.g. `jpg`. */
  extension: string;
  /** As displayed, i.e. after the EXIF orientation is applied. */
  width: number;
  height: number;
  hasAlpha: boolean;
  /** EXIF orientation, 1 (upright) when absent. */
  orientation: number;
  /** Frames or pages; only the first is ever used. */
  pages: number;
}

/** Interleaved 8-bit sRGB pixels: RGB, or RGBA when the image has (non-opaque) alpha. */
export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
}

/** Fit inside this box; never enlarges. */
export interface FitInside {
  maxWidth?: number;
  maxHeight?: number;
}

export type EncodableFormat = 'jpeg' | 'webp' | 'avif' | 'png';

export interface EncodeOptions {
  /** Encoder quality 1–100; null asks for a lossless encoding. */
  quality: number | null;
  /**
   * Favour speed over the last few percent of size, for large model outputs: lossless PNG from
   * dlserve's own parallel encoder (see `encodePng`), JPEG without mozjpeg's trellis.
   */
  fast?: boolean;
}

/**
 * What an input image may be, checked from its header before any pixel is decoded (a few bytes
 * can claim 100000×100000, or thousands of frames). `maxPixels` is also handed to libvips as
 * `limitInputPixels`, a second guard inside the decoder.
 */
export interface ImageLimits {
  /** Width × height at most (as displayed). */
  maxPixels: number;
  /** The longer side at most, in pixels. */
  maxSide: number;
  /** The longer side over the shorter at most (a 1×20000 strip is not a picture). */
  maxAspectRatio: number;
  /** Frames or pages of an animated or multi-page image at most (only the first is used). */
  maxFrames: number;
}

/** The defaults of `MAX_IMAGE_PIXELS`, `MAX_IMAGE_SIDE`, `MAX_IMAGE_ASPECT_RATIO` and `MAX_IMAGE_FRAMES`. */
export const DEFAULT_IMAGE_LIMITS: Readonly<ImageLimits> = {
  maxPixels: 40_000_000,
  maxSide: 16_384,
  maxAspectRatio: 100,
  maxFrames: 500,
};

const FORMAT_FILES: Record<ImageFormat, { mimeType: string; extension: string }> = {
  jpeg: { mimeType: 'image/jpeg', extension: 'jpg' },
  png: { mimeType: 'image/png', extension: 'png' },
  webp: { mimeType: 'image/webp', extension: 'webp' },
  avif: { mimeType: 'image/avif', extension: 'avif' },
  gif: { mimeType: 'image/gif', extension: 'gif' },
  tiff: { mimeType: 'image/tiff', extension: 'tiff' },
  heif: { mimeType: 'image/heif', extension: 'heic' },
  svg: { mimeType: 'image/svg+xml', extension: 'svg' },
};

/** MIME type and file extension of a format. */
export function formatFile(format: ImageFormat): { mimeType: string; extension: string } {
  return FORMAT_FILES[format];
}

/**
 * AVIF encoder effort (0–9, sharp's default 4). On this machine, per megapixel: effort 4 ≈ 2.8 s,
 * 2 ≈ 330 ms, 1 ≈ 150 ms, 0 ≈ 75 ms; effort 1 is ~4% bigger than 2 and ~5% smaller than 0, and
 * a search needs several encodes.
 */
const AVIF_EFFORT = 1;

/**
 * The encoder setting a quality turns into: qualities with the same setting give byte-identical
 * files, so a quality search need only try one of them. libheif hands AVIF quality to aom as one
 * of aom's quantiser levels (cq-level = round((100 − quality) × 63 / 100)), so e.g. 66 and 67 are
 * the same encoding; JPEG, WebP and palette PNG use every quality.
 */
export function encoderSetting(format: EncodableFormat, quality: number): number {
  return format === 'avif' ? Math.floor(((100 - quality) * 63 + 50) / 100) : quality;
}

/**
 * Caps the threads libvips uses inside one image operation, never raising sharp's own default
 * (the number of cores, or 1 on glibc without jemalloc, against memory fragmentation). The setting
 * is the process's, not the calling thread's: every worker thread and the main thread share it.
 */
export function limitCodecThreads(threads: number): number {
  return sharp.concurrency(Math.min(sharp.concurrency(), Math.max(1, Math.floor(threads))));
}

/**
 * Everything dlserve does with sharp, and the only place that imports it: reading and checking
 * uploads, decoding to normalised pixels, and encoding.
 */
@Injectable()
export class ImageCodec {
  constructor(readonly limits: Readonly<ImageLimits> = DEFAULT_IMAGE_LIMITS) {}

  /**
   * Identifies the image from its header alone (no pixel is decoded) and checks it against the
   * limits: what the upload edge does, so an oversized image costs a few milliseconds.
   * A damaged body is found by the one decode that follows, in the task.
   */
  inspect(data: Buffer): Promise<ImageInfo> {
    return this.readHeader(data);
  }

  /** `inspect`, then a full decode that is thrown away: for input that must be known good before it is queued. */
  async verify(data: Buffer): Promise<ImageInfo> {
    const info = await this.readHeader(data);
    await this.decodeOrFail(this.open(data).raw(), info);
    return info;
  }

  /**
   * Decodes to 8-bit sRGB (embedded ICC profiles, CMYK, grey and 16-bit are all converted),
   * upright, first page only, optionally shrunk to fit inside a box. Alpha is kept only when some
   * pixel is not opaque. Checks the input like `inspect` and returns what it found.
   */
  async decode(data: Buffer, fit: FitInside = {}): Promise<{ info: ImageInfo; image: RawImage }> {
    const info = await this.readHeader(data);
    let pipeline = this.open(data).autoOrient();
    if (needsResize(info, fit)) {
      pipeline = pipeline.resize({
        width: fit.maxWidth,
        height: fit.maxHeight,
        fit: 'inside',
        withoutEnlargement: true,
      });
    }
    pipeline = pipeline.toColourspace('srgb');
    if (!info.hasAlpha) pipeline = pipeline.removeAlpha();
    const decoded = await this.decodeOrFail(pipeline.raw({ depth: 'uchar' }), info);
    return { info, image: dropOpaqueAlpha(decoded) };
  }

  /** Encodes pixels from `decode`. The output carries no metadata and is 8-bit sRGB. */
  async encode(image: RawImage, format: EncodableFormat, options: EncodeOptions): Promise<Buffer> {
    if (isFastLosslessPng(format, options)) return encodePng(image);
    const input = sharp(image.data, {
      raw: { width: image.width, height: image.height, channels: image.channels },
    });
    return applyEncoder(input, format, options).toBuffer();
  }

  /**
   * `encode` for an image that arrives row by row (a model's output, band by band): a fast
   * lossless PNG is encoded as the rows come; other encodings start once the last row is in.
   */
  rowEncoder(layout: { width: number; height: number; channels: 3 | 4 }, format: EncodableFormat, options: EncodeOptions): RowEncoder {
    if (isFastLosslessPng(format, options)) return new PngWriter(layout);
    const data = Buffer.alloc(layout.width * layout.height * layout.channels);
    let filled = 0;
    let failure: Error | null = null;
    return {
      write: (rows) => {
        if (filled + rows.length > data.length) failure ??= new RangeError(`more rows than the image's ${layout.height}`);
        else data.set(rows, filled);
        filled += rows.length;
      },
      finish: async () => {
        if (failure) throw failure;
        if (filled !== data.length) throw new RangeError(`only ${filled} of the image's ${data.length} bytes were written`);
        return this.encode({ data, ...layout }, format, options);
      },
      abort: () => {},
    };
  }

  /** Decodes an encoding made by `encode` back to pixels, to measure what it lost. */
  async decodeEncoded(data: Buffer): Promise<RawImage> {
    const { data: pixels, info } = await sharp(data)
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    return { data: pixels, width: info.width, height: info.height, channels: info.channels === 4 ? 4 : 3 };
  }

  /**
   * Decodes as a model takes it: upright 8-bit sRGB, alpha flattened onto white. With `size`,
   * resized to exactly that size: cropping the centre to keep the aspect ratio (`cover`, the
   * default), fitting the whole image inside on white (`contain`), or stretched (`fill`). The
   * pixels own their memory, so they can be transferred to a worker thread.
   */
  async decodeRgb(data: Buffer, size?: { width: number; height: number; fit?: ImageFit }): Promise<RgbPixels> {
    const info = await this.readHeader(data);
    let pipeline = this.open(data).autoOrient();
    if (size) pipeline = pipeline.resize(size.width, size.height, { fit: size.fit ?? 'cover', background: '#ffffff' });
    pipeline = pipeline.flatten({ background: '#ffffff' }).toColourspace('srgb');
    const decoded = await this.decodeOrFail(pipeline.raw({ depth: 'uchar' }), info);
    return { pixels: new Uint8Array(decoded.data), width: decoded.width, height: decoded.height };
  }

  /**
   * The image as displayed (upright), with each polygon outlined and numbered, as a JPEG: what
   * OCR found, shown where it found it. Polygons are in the upright image's pixels.
   */
  async annotate(data: Buffer, polygons: ReadonlyArray<ReadonlyArray<readonly [number, number]>>): Promise<Buffer> {
    const { width, height } = await this.readHeader(data); // as displayed
    const upright = this.open(data).autoOrient().flatten({ background: '#ffffff' }).toColourspace('srgb');
    const stroke = Math.max(2, Math.round(Math.max(width, height) / 400));
    const shapes = polygons
      .map((points) => {
        const path = points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ');
        return `<polygon points="${path}" fill="rgba(79,70,229,0.12)" stroke="#4f46e5" stroke-width="${stroke}" stroke-linejoin="round"/>`;
      })
      .join('');
    const overlay = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${shapes}</svg>`);
    return upright.composite([{ input: overlay, top: 0, left: 0 }]).jpeg({ quality: 90, mozjpeg: true }).toBuffer();
  }

  private open(data: Buffer): Sharp {
    // failOn 'error': a decoder's errors (a PNG chunk's CRC, a broken AVIF box), not only a cut-off
    // file, fail the decode as a 422. libjpeg's "corrupt data" warnings (a bit flipped in entropy-
    // coded data) still decode, as a damaged-looking picture: 'warning' would also refuse the many
    // real photos with harmless warnings. sequentialRead: one pass, no whole-image cache.
    const options: SharpOptions = {
      failOn: 'error',
      limitInputPixels: this.limits.maxPixels,
      sequentialRead: true,
      pages: 1,
    };
    return sharp(data, options);
  }

  private async readHeader(data: Buffer): Promise<ImageInfo> {
    if (data.length === 0) throw new AppError('empty_file', 'The file is empty.');
    let metadata: Metadata;
    try {
      metadata = await sharp(data, { failOn: 'none', limitInputPixels: false }).metadata();
    } catch {
      throw notAnImage(describeBytes(data));
    }
    const format = imageFormatOf(metadata);
    if (format === null) throw notAnImage(metadata.format === 'svg' ? SVG_REFUSED : `${metadata.format}, which dlserve does not accept`);
    const { width, height } = metadata.autoOrient ?? metadata;
    if (!width || !height) throw new AppError('corrupt_image', `The ${format} image has no size.`);
    // libvips reads an EXIF orientation outside 1–8 as 1: such an image is taken as upright.
    const orientation = metadata.orientation ?? 1;
    checkLimits(format, width, height, metadata.pages ?? 1, this.limits);
    return {
      format,
      ...formatFile(format),
      width,
      height,
      hasAlpha: metadata.hasAlpha === true,
      orientation,
      pages: metadata.pages ?? 1,
    };
  }

  private async decodeOrFail(pipeline: Sharp, info: ImageInfo): Promise<RawImage> {
    try {
      const { data, info: out } = await pipeline.toBuffer({ resolveWithObject: true });
      return { data, width: out.width, height: out.height, channels: out.channels === 4 ? 4 : 3 };
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new AppError('corrupt_image', `The ${info.format} image is damaged or incomplete (${reason}).`);
    }
  }
}

/** Refuses an image whose header is beyond the limits, saying which limit and the image's size. */
function checkLimits(format: ImageFormat, width: number, height: number, pages: number, limits: Readonly<ImageLimits>): void {
  const size = `${width}×${height} pixels (${megapixels(width * height)} MP)`;
  if (width * height > limits.maxPixels) {
    throw new AppError('image_too_large', `The ${format} image is ${size}; dlserve accepts at most ${megapixels(limits.maxPixels)} megapixels.`);
  }
  if (Math.max(width, height) > limits.maxSide) {
    throw new AppError('image_too_large', `The ${format} image is ${size}; a side may be at most ${limits.maxSide} pixels.`);
  }
  const ratio = Math.max(width, height) / Math.min(width, height);
  if (ratio > limits.maxAspectRatio) {
    throw new AppError(
      'unsupported_image',
      `The ${format} image is ${size}, an aspect ratio of ${Number(ratio.toFixed(1))}:1; at most ${limits.maxAspectRatio}:1 is accepted.`,
    );
  }
  if (pages > limits.maxFrames) {
    throw new AppError('image_too_large', `The ${format} image has ${pages} frames; at most ${limits.maxFrames} are accepted.`);
  }
}

/** Megapixels for messages: 40, 0.25, 10000. */
export function megapixels(pixels: number): number {
  return Number((pixels / 1e6).toPrecision(3));
}

function notAnImage(detected: string): AppError {
  return new AppError('not_an_image', `The file is not an image dlserve can read (detected ${detected}).`);
}

function imageFormatOf(metadata: Metadata): ImageFormat | null {
  switch (metadata.format) {
    case 'jpeg':
    case 'png':
    case 'webp':
    case 'gif':
    case 'tiff':
      return metadata.format;
    // SVG is refused, not rasterised: it is a document (scripts, entities, references to other
    // files and URLs) whose canvas says nothing about its cost, and no model wants one.
    case 'heif':
      return metadata.compression === 'av1' ? 'avif' : 'heif';
    default:
      return null;
  }
}

const SVG_REFUSED = 'an SVG document; dlserve takes raster images only (PNG, JPEG, WebP, AVIF, GIF, TIFF, HEIF)';

/** A short, human guess at what a non-image file is, for the error message. */
function describeBytes(data: Buffer): string {
  const head = data.subarray(0, 8).toString('latin1');
  // An SVG that libvips could not even parse (a DOCTYPE with entities, a stylesheet) is still one.
  if (/<svg[\s>]/i.test(data.subarray(0, 4096).toString('latin1'))) return SVG_REFUSED;
  if (head.startsWith('%PDF')) return 'a PDF document';
  if (head.startsWith('PK\x03\x04')) return 'a ZIP archive';
  const sample = data.subarray(0, 512);
  const isText = sample.every((byte) => byte === 9 || byte === 10 || byte === 13 || byte >= 32);
  return isText ? 'text' : 'unrecognised binary data';
}

function needsResize(info: ImageInfo, fit: FitInside): boolean {
  return (
    (fit.maxWidth !== undefined && info.width > fit.maxWidth) ||
    (fit.maxHeight !== undefined && info.height > fit.maxHeight)
  );
}

/** An alpha channel that is opaque everywhere only costs bytes and steers `auto` away from JPEG. */
function dropOpaqueAlpha(image: RawImage): RawImage {
  if (image.channels === 3) return image;
  const { data, width, height } = image;
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 255) return image;
  const rgb = Buffer.allocUnsafe(width * height * 3);
  for (let s = 0, d = 0; s < data.length; s += 4, d += 3) {
    rgb[d] = data[s]!;
    rgb[d + 1] = data[s + 1]!;
    rgb[d + 2] = data[s + 2]!;
  }
  return { data: rgb, width, height, channels: 3 };
}

/** Large lossless PNGs of model outputs get dlserve's own encoder; every other encoding is sharp's. */
function isFastLosslessPng(format: EncodableFormat, { quality, fast = false }: EncodeOptions): boolean {
  return format === 'png' && quality === null && fast;
}

/** Encoder settings: chroma is subsampled 4:2:0 (what JPEG does by default) for AVIF too. */
function applyEncoder(input: Sharp, format: EncodableFormat, { quality, fast = false }: EncodeOptions): Sharp {
  switch (format) {
    case 'jpeg':
      return input.jpeg({ quality: quality ?? 100, mozjpeg: !fast });
    case 'webp':
      return quality === null ? input.webp({ lossless: true }) : input.webp({ quality });
    case 'avif':
      return input.avif({
        quality: quality ?? 100,
        lossless: quality === null,
        effort: AVIF_EFFORT,
        chromaSubsampling: '4:2:0',
      });
    case 'png':
      // Lossless PNG, or a palette of at most 256 colours (libimagequant) at that quality.
      return quality === null
        ? input.png({ compressionLevel: 9, adaptiveFiltering: true })
        : input.png({ palette: true, quality, compressionLevel: 9, effort: 7 });
  }
}
