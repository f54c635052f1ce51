import type { ServiceStatus, StatusPoint, StatusResponse } from '@dlserve/shared';

/** Test data: a point at `t` seconds, idle unless `overrides` says otherwise. */
export function point(t: number, overrides: Partial<StatusPoint> = {}): StatusPoint {
  return {
    t: t * 1000,
    requestsPerMinute: 0,
    clientErrorsPerMinute: 0,
    serverErrorsPerMinute: 0,
    p50Ms: null,
    p95Ms: null,
    averageBatchSize: null,
    ...overrides,
  };
}

export function service(overrides: Partial<ServiceStatus> = {}): ServiceStatus {
  return {
    kind: 'model',
    name: 'm',
    title: { en: 'M' },
    task: 'image-to-image',
    state: 'ready',
    queue: { inHand: 0, limit: 8 },
    totalRequests: 0,
    series: [point(1000), point(1010)],
    ...overrides,
  };
}

export function statusAnswer(services: ServiceStatus[]): StatusResponse {
  return { generatedAt: '2026-01-01T12:00:00.000Z', intervalSeconds: 10, windowSeconds: 900, rateWindowSeconds: 60, services };
}

/** A model that has had traffic, and the compressor with none. */
export const busyAnswer = statusAnswer([
  service({
    name: 'esrgan',
    title: { en: 'ESRGAN ×2' },
    totalRequests: 5,
    queue: { inHand: 1, limit: 8 },
    series: [point(1000), point(1010, { requestsPerMinute: 3, clientErrorsPerMinute: 1, p50Ms: 120, p95Ms: 480, averageBatchSize: 1.5 })],
  }),
  service({ kind: 'compressor', name: 'compressor', title: { en: 'Image compressor' }, task: undefined }),
]);
