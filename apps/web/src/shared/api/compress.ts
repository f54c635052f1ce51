import { UPLOAD_FIELD, type CompressOptions, type CompressResponse } from '@dlserve/shared';
import { HttpError, upload } from './http';

/** Compresses one image; `onProgress` gets the upload's progress (0–1), not the processing's. */
export async function compressImage(
  file: File,
  options: CompressOptions,
  onProgress?: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<CompressResponse> {
  const response = await upload<CompressResponse>('/api/compress', {
    field: UPLOAD_FIELD,
    file,
    fields: {
      format: options.format,
      target: options.target,
      maxWidth: options.maxWidth,
      maxHeight: options.maxHeight,
    },
    onProgress,
    signal,
  });
  // A proxy or a stale server can answer 200 with something else; say so instead of crashing later.
  if (typeof response !== 'object' || response === null || !Array.isArray(response.files)) {
    throw new HttpError('The server sent an unexpected answer.', 'unexpected');
  }
  return response;
}
