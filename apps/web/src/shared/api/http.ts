import type { ApiError } from '@dlserve/shared';
import axios, { type AxiosProgressEvent } from 'axios';
import { apiKey, keyRefused } from './api-key';
import type { HttpErrorCode } from './errors.messages';

/**
 * An HTTP failure in a form the UI can show: `message` is always an English sentence for the user
 * (the API's own, when it sent one); `code` is the API's error code, or the client's (`network`,
 * `unexpected`, `http`…) otherwise. `errorMessage()` says it in the UI's language.
 */
export class HttpError extends Error {
  override readonly name = 'HttpError';

  constructor(
    message: string,
    readonly code: HttpErrorCode,
    readonly status: number | null = null,
    readonly body: ApiError | null = null,
  ) {
    super(message);
  }
}

export function isApiError(value: unknown): value is ApiError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof ApiError, unknown>>;
  return (
    typeof candidate.statusCode === 'number' &&
    typeof candidate.error === 'string' &&
    typeof candidate.message === 'string' &&
    candidate.message.length > 0
  );
}

/** Messages for answers without an `ApiError` body (a proxy's HTML page, an empty 502…). */
function statusMessage(status: number): string {
  if (status === 413) return 'The file is too large for the server to accept.';
  if (status === 429) return 'The server is busy. Please wait a moment and try again.';
  if (status === 502 || status === 503 || status === 504) {
    return `The server is unavailable right now (HTTP ${status}). Please try again in a moment.`;
  }
  return `The server could not handle the request (HTTP ${status}).`;
}

/** Turns anything a request can throw into an `HttpError` with a message for the user. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (axios.isCancel(error)) return new HttpError('The upload was cancelled.', 'cancelled');
  if (axios.isAxiosError(error)) {
    const response = error.response;
    if (response) {
      const body: unknown = response.data;
      if (isApiError(body)) return new HttpError(body.message, body.error, response.status, body);
      return new HttpError(statusMessage(response.status), 'http', response.status);
    }
    if (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT') {
      return new HttpError('The server took too long to answer. Please try again.', 'timeout');
    }
    return new HttpError(
      'Could not reach the server. Check your connection and try again.',
      'network',
    );
  }
  if (error instanceof Error && error.message) return new HttpError(error.message, 'http');
  return new HttpError('Something went wrong. Please try again.', 'http');
}

/** The app's one HTTP client: same origin, JSON, every failure rejected as an `HttpError`. */
export const http = axios.create({
  headers: { Accept: 'application/json' },
});

http.interceptors.request.use((config) => {
  if (apiKey.value) config.headers.set('X-API-Key', apiKey.value);
  return config;
});

http.interceptors.response.use(
  (response) => response,
  (error: unknown) => {
    const failure = toHttpError(error);
    if (failure.code === 'unauthorized') keyRefused.value = true;
    return Promise.reject(failure);
  },
);

export type UploadFields = Record<string, string | number | boolean | null | undefined>;

export interface UploadRequest {
  /** The multipart field the file goes in. */
  field: string;
  file: Blob;
  /** Sent as the part's file name; defaults to the `File`'s own name. */
  fileName?: string;
  /** Extra text fields; `null`/`undefined` values are left out. */
  fields?: UploadFields;
  /** Upload progress as a fraction 0–1. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/** Builds the multipart body: text fields first, so a streaming parser sees them before the file. */
export function buildFormData(request: UploadRequest): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(request.fields ?? {})) {
    if (value !== null && value !== undefined) form.append(name, String(value));
  }
  const fileName = request.fileName ?? (request.file instanceof File ? request.file.name : 'blob');
  form.append(request.field, request.file, fileName);
  return form;
}

export function progressFraction(event: AxiosProgressEvent): number {
  if (typeof event.progress === 'number') return Math.min(1, Math.max(0, event.progress));
  if (event.total) return Math.min(1, Math.max(0, event.loaded / event.total));
  return 0;
}

/** POSTs one file (and text fields) as multipart and resolves with the typed JSON answer. */
export async function upload<T>(url: string, request: UploadRequest): Promise<T> {
  const { onProgress } = request;
  const response = await http.post<T>(url, buildFormData(request), {
    signal: request.signal,
    onUploadProgress: onProgress ? (event) => onProgress(progressFraction(event)) : undefined,
  });
  return response.data;
}
