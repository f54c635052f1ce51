import type { HealthResponse } from '@dlserve/shared';
import { http } from './http';

export async function getHealth(signal?: AbortSignal): Promise<HealthResponse> {
  const response = await http.get<HealthResponse>('/api/health', { signal });
  return response.data;
}
