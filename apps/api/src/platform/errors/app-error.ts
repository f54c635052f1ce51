import type { ApiError, ErrorCode } from '@dlserve/shared';

/** The HTTP status each error code answers with: the one table of the API's failures. */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  no_file: 400,
  unexpected_field: 400,
  invalid_option: 400,
  empty_file: 400,
  bad_request: 400,
  not_found: 404,
  file_too_large: 413,
  request_too_large: 413,
  too_many_files: 413,
  // Full: the client should come back (Retry-After), as from a server that is overloaded, not a client that asked too often.
  busy: 503,
  unauthorized: 401,
  rate_limited: 429,
  // nginx's code for a request whose client closed the connection: only logs and cancelled jobs see it.
  cancelled: 499,
  not_an_image: 415,
  corrupt_image: 422,
  /** Beyond a pixel, side or frame limit (the server's or the model's), read from the header. */
  image_too_large: 413,
  /** An image that decodes but cannot be used: absurd aspect ratio or orientation, below a model's minimum side. */
  unsupported_image: 422,
  internal_error: 500,
  inference_failed: 500,
  unavailable: 503,
  model_unavailable: 503,
  /** ROLE=api: the job queue (Redis) cannot be reached; nothing was queued. */
  queue_unavailable: 503,
  timeout: 504,
};

/**
 * A failure the API expects and explains. Services throw it; the global exception filter turns
 * it into the one error body every endpoint answers with.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The client's name of the file concerned, for the error body. */
    readonly file?: string,
    /** When to come back, sent as `Retry-After` (a full queue). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get statusCode(): number {
    return ERROR_STATUS[this.code];
  }

  /** The same error, now naming the file it is about. */
  forFile(file: string): AppError {
    return this.file === file ? this : new AppError(this.code, this.message, file, this.retryAfterSeconds);
  }

  toBody(): ApiError {
    const body: ApiError = { statusCode: this.statusCode, error: this.code, message: this.message };
    if (this.file !== undefined) body.file = this.file;
    return body;
  }
}
