import { Injectable } from '@nestjs/common';
import { AppError } from '../../platform/errors/app-error.js';
import type { ImageFormat, OutputFormat } from '@dlserve/shared';
import {
  ImageCodec,
  encoderSetting,
  formatFile,
  type EncodableFormat,
  type ImageInfo,
  type RawImage,
} from '../../infrastructure/imaging/image-codec.js';
import { stripJpegMetadata, stripPngMetadata } from './metadata-strip.js';
import { searchQuality, type Measurement } from './quality-search.js';
import { lumaPlane, ssim, type LumaPlane } from './ssim.js';
import { tileMosaic } from './tile-mosaic.js';

export interface CompressSettings {
  format: OutputFormat;
  /** Lowest SSIM (luma, at output size) the result may have against the original. */
  target: number;
  maxWidth?: number;
  maxHeight?: number;
}

export interface CompressionResult {
  data: Buffer;
  format: ImageFormat;
  extension: string;
  mimeType: string;
  width: number;
  height: number;
  ssim: number;
  /** Encoder quality; null for the kept original or a lossless encoding. */
  quality: number | null;
  keptOriginal: boolean;
}

/** One encoding and what it scored. */
interface Candidate extends Measurement {
  format: EncodableFormat;
  quality: number | null;
  data: Buffer;
}

/**
 * The quality that typically reaches an SSIM on photos, per format (measured on the fixtures;
 * for PNG it is the palette quantiser's quality). Only where a search starts: it adapts per image.
 */
const TYPICAL_QUALITY: Record<EncodableFormat, ReadonlyArray<readonly [ssim: number, quality: number]>> = {
  jpeg: [[0.9, 40], [0.95, 72], [0.97, 85], [0.985, 93], [0.995, 98]],
  webp: [[0.9, 30], [0.95, 62], [0.97, 80], [0.985, 90], [0.995, 96]],
  avif: [[0.9, 40], [0.95, 52], [0.97, 63], [0.985, 83], [0.995, 93]],
  png: [[0.9, 30], [0.95, 50], [0.97, 65], [0.985, 80], [0.995, 95]],
};

/**
 * How much smaller a less widely supported format must be to win `auto`: JPEG and WebP decode
 * everywhere and fast, AVIF is newer and slower to decode, so near-ties go to the older format.
 */
const COMPATIBILITY_MARGIN: Record<EncodableFormat, number> = { jpeg: 0, png: 0, webp: 0.02, avif: 0.04 };

/**
 * A quality found on the tile mosaic is, on the fixtures, 0–8 below the image's own answer (a
 * sample tends to miss the hardest detail), so the search on the image starts this far above it…
 */
const MOSAIC_BIAS = 2;
/** …and its first pair of probes spans this much either side, which usually brackets the answer. */
const MOSAIC_GUESS_ERROR = 2;
/** Two rounds on the mosaic, then its estimate: only a start, and off by a few steps anyway. */
const MOSAIC_PROBES = 4;


/**
 * Makes each image as small as it can be while its SSIM stays at or above the target.
 *
 * `auto` picks the format per image: JPEG (mozjpeg) for opaque images and WebP for images with
 * alpha are the defaults, and AVIF, and WebP for opaque images, are searched at the same time. All
 * candidates meet the same SSIM target; the smallest wins, except that WebP must be 2% and AVIF 4%
 * smaller than the more compatible choice to take its place.
 *
 * The result is never bigger than the input: when nothing beats it, the original is returned with
 * its metadata stripped losslessly (JPEG, PNG; see `keepOriginal`).
 */
@Injectable()
export class CompressService {
  constructor(private readonly codec: ImageCodec) {}

  async compress(input: Buffer, settings: CompressSettings): Promise<CompressionResult> {
    const { info, image: decoded } = await this.codec.decode(input, settings);
    const resized = decoded.width !== info.width || decoded.height !== info.height;
    // JPEG has no alpha: it is judged against the image as it will look, on white.
    const image = settings.format === 'jpeg' && decoded.channels === 4 ? flattenOnWhite(decoded) : decoded;
    const reference = lumaOf(image);
    // A resized result cannot fall back to the original, so only then may it exceed the input.
    const toBeat = new SmallestSoFar(resized ? Infinity : input.length);

    const { target } = settings;
    const [leader, ...challengers] = candidateFormats(settings.format, image);
    const search = (format: EncodableFormat, start: SearchStart, inParallel: SearchGoal['inParallel']): Promise<Candidate | null> =>
      this.bestEncoding(format, image, reference, { target, toBeat, inParallel, ...start });
    // The likely winner first, on both cores; the others then only check whether they can beat it,
    // starting where the winner's quality says this image needs them to be.
    const first = await search(leader!, await this.leaderStart(leader!, image, target), true);
    let running = challengers.length;
    const others = await Promise.all(
      challengers.map(async (format) => {
        try {
          // One probe at a time each while they share the cores; two at a time for the last one left.
          return await search(format, challengerStart(format, leader!, first, target), () => running === 1);
        } finally {
          running--;
        }
      }),
    );
    const winner = pickWinner([first, ...others].filter((c): c is Candidate => c !== null));

    if (!resized) {
      const original = keepOriginal(input, info);
      if (!winner || winner.data.length >= original.length) return keptOriginalResult(original, info);
    }
    return encodedResult(winner ?? (await this.lastResort(image, reference, settings.format)), image);
  }

  /** The smallest encoding in one format that meets the target, or null. */
  private async bestEncoding(
    format: EncodableFormat,
    image: RawImage,
    reference: LumaPlane,
    goal: SearchGoal,
  ): Promise<Candidate | null> {
    const best =
      format === 'png'
        ? await this.searchPng(image, reference, goal)
        : await this.search(format, image, reference, goal);
    if (best) goal.toBeat.offer(best.bytes);
    return best;
  }

  private async search(
    format: EncodableFormat,
    image: RawImage,
    reference: LumaPlane,
    { target, toBeat, inParallel, guess, guessError, slope }: SearchGoal,
  ): Promise<Candidate | null> {
    const { best } = await searchQuality(
      async (quality) => {
        const candidate = await this.measure(image, reference, format, quality);
        if (candidate.ssim >= target) toBeat.offer(candidate.bytes);
        return candidate;
      },
      {
        target,
        min: 1,
        max: 100,
        guess,
        guessError,
        slope,
        setting: (quality) => encoderSetting(format, quality),
        bytesToBeat: () => toBeat.value,
        inParallel,
      },
    );
    return best;
  }

  /**
   * Where the first search starts. Typical qualities miss unusual images by far (the Hubble deep
   * field needs AVIF 63 where photos need 39), so when the image is big enough the same search is
   * first run on a 0.1 MP mosaic of its tiles (see tile-mosaic.ts).
   */
  private async leaderStart(format: EncodableFormat, image: RawImage, target: number): Promise<SearchStart> {
    const typical = { guess: typicalQuality(format, target) };
    const mosaic = tileMosaic(image);
    if (!mosaic) return typical;
    const reference = lumaOf(mosaic);
    const { best, nextGuess } = await searchQuality((quality) => this.measure(mosaic, reference, format, quality), {
      target,
      min: 1,
      max: 100,
      ...typical,
      setting: (quality) => encoderSetting(format, quality),
      inParallel: true,
      maxProbes: MOSAIC_PROBES,
    });
    const answer = nextGuess ?? best?.quality;
    return answer ? { guess: answer + MOSAIC_BIAS, guessError: MOSAIC_GUESS_ERROR } : typical;
  }

  /** Lossless PNG, or a palette PNG when one meets the target in fewer bytes. */
  private async searchPng(image: RawImage, reference: LumaPlane, goal: SearchGoal): Promise<Candidate> {
    const palette = await this.search('png', image, reference, goal);
    const lossless = await this.encodeLossless(image, 'png');
    return palette && palette.bytes < lossless.bytes ? palette : lossless;
  }

  /** When nothing met the target at any quality: lossless if the format has it, else its best. */
  private async lastResort(image: RawImage, reference: LumaPlane, format: OutputFormat): Promise<Candidate> {
    if (format === 'jpeg') return this.measure(image, reference, 'jpeg', 100);
    return this.encodeLossless(image, format === 'auto' ? 'png' : format);
  }

  private async encodeLossless(image: RawImage, format: EncodableFormat): Promise<Candidate> {
    const data = await this.codec.encode(image, format, { quality: null });
    return { format, quality: null, data, bytes: data.length, ssim: 1 };
  }

  /** Encodes at one quality, decodes the result and scores it against the reference. */
  private async measure(
    image: RawImage,
    reference: LumaPlane,
    format: EncodableFormat,
    quality: number,
  ): Promise<Candidate> {
    const data = await this.codec.encode(image, format, { quality });
    const decoded = await this.codec.decodeEncoded(data);
    return { format, quality, data, bytes: data.length, ssim: ssim(reference, lumaOf(decoded)) };
  }
}

/** A search's first quality, how far off it may be, and the slope it assumes (see `SearchOptions`). */
interface SearchStart {
  guess: number;
  guessError?: number;
  slope?: number;
}

interface SearchGoal extends SearchStart {
  target: number;
  toBeat: SmallestSoFar;
  /** Probe two qualities at a time: for a search that has the machine to itself. */
  inParallel: boolean | (() => boolean);
}

/** The bytes a candidate must beat, shared by searches running at the same time. */
class SmallestSoFar {
  constructor(private smallest: number) {}

  get value(): number {
    return this.smallest;
  }

  offer(bytes: number): void {
    this.smallest = Math.min(this.smallest, bytes);
  }
}

/** The formats to search, the likely winner first (AVIF, on photos, by far). */
/** The longest side each format can hold (WebP stores 14 bits, JPEG 16); PNG's and AVIF's are beyond any accepted input. */
const MAX_ENCODABLE_SIDE: Partial<Record<EncodableFormat, number>> = { webp: 16_383, jpeg: 65_535 };

function fits(format: EncodableFormat, { width, height }: RawImage): boolean {
  return Math.max(width, height) <= (MAX_ENCODABLE_SIDE[format] ?? Infinity);
}

/** The formats to search: one asked for, or `auto`'s, less those that cannot hold the image's size. */
function candidateFormats(format: OutputFormat, image: RawImage): EncodableFormat[] {
  if (format !== 'auto') {
    if (fits(format, image)) return [format];
    throw new AppError(
      'unsupported_image',
      `The image is ${image.width}×${image.height} pixels; ${format} holds at most ${MAX_ENCODABLE_SIDE[format]} pixels a side. Ask for another format or a smaller size.`,
    );
  }
  const formats: EncodableFormat[] = image.channels === 4 ? ['avif', 'webp'] : ['avif', 'jpeg', 'webp'];
  return formats.filter((candidate) => fits(candidate, image));
}

function pickWinner(candidates: Candidate[]): Candidate | null {
  const score = (c: Candidate): number => c.bytes * (1 + COMPATIBILITY_MARGIN[c.format]);
  return candidates.reduce<Candidate | null>((best, c) => (!best || score(c) < score(best) ? c : best), null);
}

/**
 * A challenger's first quality: the leader's answer shows how hard this image is (the SSIM its
 * quality typically reaches), and the challenger starts at its own quality for that SSIM.
 */
function challengerStart(
  format: EncodableFormat,
  leader: EncodableFormat,
  leaderBest: Candidate | null,
  target: number,
): SearchStart {
  const likeTarget = leaderBest?.quality ? typicalSsim(leader, leaderBest.quality) : target;
  const guess = typicalQuality(format, likeTarget);
  return { guess, slope: typicalSlope(format, guess) };
}

/** The search's first quality for a target: interpolated on −log(1 − SSIM), as the search does. */
function typicalQuality(format: EncodableFormat, target: number): number {
  const points = TYPICAL_QUALITY[format].map(([s, q]) => [distortion(s), q] as const);
  return Math.round(Math.min(100, Math.max(1, piecewiseLinear(points, distortion(target)))));
}

/** The inverse of `typicalQuality`: the SSIM a quality typically reaches. */
function typicalSsim(format: EncodableFormat, quality: number): number {
  const points = TYPICAL_QUALITY[format].map(([s, q]) => [q, distortion(s)] as const);
  return 1 - Math.exp(-piecewiseLinear(points, quality));
}

/**
 * How fast −log(1 − SSIM) typically rises with quality there: WebP and JPEG climb about twice as
 * fast as AVIF, so a search's one-probe step is better read off the table than assumed.
 */
function typicalSlope(format: EncodableFormat, quality: number): number {
  const points = TYPICAL_QUALITY[format].map(([s, q]) => [q, distortion(s)] as const);
  return piecewiseLinear(points, quality + 0.5) - piecewiseLinear(points, quality - 0.5);
}

function distortion(ssim: number): number {
  return -Math.log(Math.max(1 - ssim, 1e-6));
}

/** Through points sorted by x, extended past the ends along the end segments. */
function piecewiseLinear(points: ReadonlyArray<readonly [x: number, y: number]>, x: number): number {
  let i = 1;
  while (i < points.length - 1 && x > points[i]![0]) i++;
  const [x0, y0] = points[i - 1]!;
  const [x1, y1] = points[i]!;
  return y0 + ((x - x0) * (y1 - y0)) / (x1 - x0);
}

function lumaOf(image: RawImage): LumaPlane {
  return lumaPlane(image.data, image.width, image.height, image.channels);
}

function flattenOnWhite(image: RawImage): RawImage {
  const { data, width, height } = image;
  const rgb = Buffer.allocUnsafe(width * height * 3);
  for (let s = 0, d = 0; s < data.length; s += 4, d += 3) {
    const alpha = data[s + 3]! / 255;
    for (let c = 0; c < 3; c++) rgb[d + c] = Math.round(data[s + c]! * alpha + 255 * (1 - alpha));
  }
  return { data: rgb, width, height, channels: 3 };
}

/**
 * The original, for when no encoding beats it. JPEG and PNG lose their metadata losslessly (see
 * metadata-strip.ts); a JPEG that is turned by its EXIF orientation keeps just that tag, so it
 * still displays upright, and a PNG keeps its eXIf chunk for the same reason. Other formats (WebP,
 * GIF, AVIF, TIFF…) are kept byte for byte: dlserve has no lossless way to strip them.
 */
function keepOriginal(input: Buffer, info: ImageInfo): Buffer {
  const stripped =
    info.format === 'jpeg'
      ? stripJpegMetadata(input, info.orientation)
      : info.format === 'png'
        ? stripPngMetadata(input, info.orientation !== 1)
        : null;
  return stripped && stripped.length <= input.length ? stripped : input;
}

function keptOriginalResult(data: Buffer, info: ImageInfo): CompressionResult {
  return {
    data,
    format: info.format,
    extension: info.extension,
    mimeType: info.mimeType,
    width: info.width,
    height: info.height,
    ssim: 1,
    quality: null,
    keptOriginal: true,
  };
}

function encodedResult(candidate: Candidate, image: RawImage): CompressionResult {
  return {
    data: candidate.data,
    format: candidate.format,
    ...formatFile(candidate.format),
    width: image.width,
    height: image.height,
    ssim: candidate.ssim,
    quality: candidate.quality,
    keptOriginal: false,
  };
}
