import type { IncomingMessage } from 'node:http';
import { AppError } from '../errors/app-error.js';

/**
 * `MAX_REQUEST_BYTES`, the same for every body reader (multipart uploads, the V2 API's raw
 * bodies): a body declared larger is refused before it is read, one sent without a length
 * (chunked) as soon as it has sent more.
 */
export function refuseDeclaredOver(request: IncomingMessage, maxBytes: number): void {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw new AppError('request_too_large', `A request may be at most ${formatBytes(maxBytes)}; this one declares ${formatBytes(declared)}.`);
}

/** For a body without a declared length that has just passed the limit. */
export function sentTooMuch(maxBytes: number): AppError {
  return new AppError('request_too_large', `A request may be at most ${formatBytes(maxBytes)}; this one sent more.`);
}

export function formatBytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return mib >= 1 ? `${Number(mib.toFixed(1))} MiB` : `${bytes} bytes`;
}
