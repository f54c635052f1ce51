import {
  UPLOAD_FIELD,
  type InferenceOptions,
  type JobAccepted,
  type JobStatus,
  type ModelListResponse,
  type OcrSettings,
} from '@dlserve/shared';
import { HttpError, http, upload } from './http';
import { apiKeyHeaders } from './api-key';

/** OCR options; each one left out means the model's default. */
export type OcrRequestOptions = Partial<OcrSettings>;

/** What the UI sends with a model upload; `async` is always set by `startModelJob`. */
export type ModelRequestOptions = Omit<InferenceOptions, 'async'> & OcrRequestOptions;

function unexpected(): HttpError {
  return new HttpError('The server sent an unexpected answer.', 'unexpected');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** `GET /api/models`: every model the server knows, with its status. */
export async function listModels(signal?: AbortSignal): Promise<ModelListResponse> {
  const response = await http.get<ModelListResponse>('/api/models', { signal });
  const body: unknown = response.data;
  // A proxy or an older server can answer 200 with an HTML page; don't render garbage.
  if (!isObject(body) || !Array.isArray(body.models)) throw unexpected();
  return response.data;
}

/**
 * Uploads one file to `POST /api/models/:name?async=1`. Resolves with the job once the server has
 * accepted it (202); `onProgress` gets the upload's progress (0–1).
 */
export async function startModelJob(
  model: string,
  file: File,
  options: ModelRequestOptions,
  onProgress?: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<JobAccepted> {
  const accepted = await upload<JobAccepted>(`/api/models/${encodeURIComponent(model)}?async=1`, {
    field: UPLOAD_FIELD,
    file,
    fields: {
      format: options.format,
      topK: options.topK,
      maxSide: options.maxSide,
      detectionThreshold: options.detectionThreshold,
      boxThreshold: options.boxThreshold,
      unclipRatio: options.unclipRatio,
      // `true` / `false` as text, which is what the API parses.
      useDirection: options.useDirection,
    },
    onProgress,
    signal,
  });
  if (!isObject(accepted) || typeof accepted.id !== 'string' || typeof accepted.events !== 'string') {
    throw unexpected();
  }
  return accepted;
}

/** `GET /api/jobs/:id` (the `status` URL of a `JobAccepted`). */
export async function getJob(statusUrl: string, signal?: AbortSignal): Promise<JobStatus> {
  const response = await http.get<JobStatus>(statusUrl, { signal });
  const body: unknown = response.data;
  if (!isObject(body) || typeof body.state !== 'string') throw unexpected();
  return response.data;
}

/** Cancels a job: its queued work is dropped, its running work stops at the next tile or batch. */
export async function cancelJob(statusUrl: string): Promise<void> {
  await http.delete(statusUrl);
}

/** The file name at the end of a URL's path: `/api/models/x/examples/cat.jpg` → `cat.jpg`. */
export function fileNameFromUrl(url: string): string {
  const path = url.split(/[?#]/, 1)[0] ?? '';
  const last = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(last) || 'example';
  } catch {
    return last || 'example';
  }
}

/** Downloads an example image so it can be sent like a file the user picked. */
export async function fetchExample(url: string, signal?: AbortSignal): Promise<File> {
  let response: Response;
  try {
    response = await fetch(url, { signal, headers: apiKeyHeaders() });
  } catch {
    throw new HttpError('Could not load the example image. Please try again.', 'example_failed');
  }
  if (!response.ok) {
    throw new HttpError(`Could not load the example image (HTTP ${response.status}).`, 'example_failed', response.status);
  }
  const blob = await response.blob();
  return new File([blob], fileNameFromUrl(url), { type: blob.type });
}
