/**
 * The dlserve HTTP contract. The API's controllers return these types and the web client reads
 * them, so a change here that one side does not follow fails that side's type check.
 */

/** The multipart field every upload endpoint reads, one or many files (the reference design's name). */
export const UPLOAD_FIELD = 'the_file';

/** Output formats a client may ask `/api/compress` for; `auto` lets the service pick per image. */
export const OUTPUT_FORMATS = ['auto', 'jpeg', 'webp', 'avif', 'png'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** What a result file is encoded as. `gif`/`tiff`… appear only when the original is kept. */
export type ImageFormat = Exclude<OutputFormat, 'auto'> | 'gif' | 'tiff' | 'heif' | 'svg';

export const DEFAULT_SSIM_TARGET = 0.985;

/** Options of `POST /api/compress`, sent as multipart text fields or as query parameters. */
export interface CompressOptions {
  /** Output format; default `auto`. */
  format?: OutputFormat;
  /** Lowest SSIM (luma, full size) the result may have against the original; default 0.985. */
  target?: number;
  /** Fit inside this width in pixels; never enlarges. */
  maxWidth?: number;
  /** Fit inside this height in pixels; never enlarges. */
  maxHeight?: number;
}

/** One compressed image. */
export interface CompressedFile {
  /** The client's file name, for display only: it is never used on the server's disk. */
  name: string;
  /** URL of the result file, `/assets/<unguessable name>`. */
  result: string;
  format: ImageFormat;
  width: number;
  height: number;
  bytesIn: number;
  bytesOut: number;
  /** SSIM of the result against the original (luma, full size); 1 when the original was kept. */
  ssim: number;
  /** Encoder quality of the result; null when the original (or a lossless encoding) was kept. */
  quality: number | null;
  /** True when no encoding beat the input, so the result is the original, oriented and stripped. */
  keptOriginal: boolean;
  /** Time spent on this file, in milliseconds. */
  ms: number;
}

export interface CompressResponse {
  /** The first file's result URL: the reference design's `{"result": "/assets/…"}`. */
  result: string;
  files: CompressedFile[];
}

/** One file kept by `POST /api/uploads`. */
export interface StoredUpload {
  /** Generated id; also the stored file's name. */
  id: string;
  /** The client's file name, for display only. */
  name: string;
  bytes: number;
  /** Type detected from the bytes, not from the name or the client's MIME type. */
  format: ImageFormat;
  mimeType: string;
  width: number;
  height: number;
}

export interface UploadsResponse {
  uploads: StoredUpload[];
}

export interface HealthResponse {
  status: 'ok';
  uptimeSeconds: number;
}

/** Stable, machine-readable error codes (the `error` field of every error body). */
export const ERROR_CODES = [
  'no_file',
  'unexpected_field',
  'invalid_option',
  'empty_file',
  'file_too_large',
  'too_many_files',
  'not_an_image',
  'corrupt_image',
  'not_found',
  'bad_request',
  'internal_error',
  'unavailable',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The one shape of every error the API answers with. */
export interface ApiError {
  statusCode: number;
  error: ErrorCode;
  message: string;
  /** The client's name of the file the error is about, when it is about one. */
  file?: string;
}
