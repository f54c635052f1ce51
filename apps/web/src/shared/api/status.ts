import type { StatusResponse } from '@dlserve/shared';
import { HttpError, http } from './http';

/** `GET /api/status`: each model's and the compressor's state, queue and recent figures. */
export async function getStatus(signal?: AbortSignal): Promise<StatusResponse> {
  const response = await http.get<StatusResponse>('/api/status', { signal });
  const body: unknown = response.data;
  // A proxy's HTML page or an older server without the route: not figures to draw.
  if (typeof body !== 'object' || body === null || !Array.isArray((body as Partial<StatusResponse>).services)) {
    throw new HttpError('The server sent an unexpected answer for its status.', 'http', response.status);
  }
  return body as StatusResponse;
}
