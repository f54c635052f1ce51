import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ApiKeys } from '../../platform/access/api-key.guard.js';
import { sendError } from '../../platform/http/api-exception.filter.js';
import { ModelRegistry } from '../../serving/lifecycle/model-registry.js';
import { CompressionPool } from '../../tasks/compression/compression-pool.js';

const MODEL_ROUTE = /^\/api\/models\/([^/]+)\/?$/;
const V2_INFER_ROUTE = /^\/v2\/models\/([^/]+)(?:\/versions\/[^/]+)?\/infer\/?$/;

/**
 * Refuses an upload with 503 `busy` when its model's (or the compressor's) queue is full, before
 * the request reaches Nest. The admission interceptors would refuse it too, but Nest's router,
 * guards, interceptors and exception filter cost ~2 ms a request: a burst of 200 held the event
 * loop, and `/api/health` with it, for 200+ ms. Here a refusal costs a regex and a lookup.
 * Only a request the key check would let through is refused here (else it gets its 401 from
 * Nest, and learns nothing of the queue); an admitted one goes on to the interceptors as before.
 */
@Injectable()
export class LoadShedding {
  constructor(
    private readonly registry: ModelRegistry,
    private readonly compressor: CompressionPool,
    private readonly keys: ApiKeys,
  ) {}

  readonly middleware = (request: Request, response: Response, next: NextFunction): void => {
    const target = request.method === 'POST' ? this.target(request.path) : null;
    const refusal = target && (target.model === undefined ? this.compressor.refusal() : this.registry.refusal(target.model));
    if (refusal?.code !== 'busy' || !this.keys.accepts(request)) return next();
    // Nest never routes it: the metrics learn its route and model from here.
    Object.assign(response.locals, target);
    sendError(request, response, refusal);
  };

  /** The upload route a path is, and its model (none for the compressor); null for any other path. */
  private target(path: string): { route: string; model?: string } | null {
    if (path === '/api/compress' || path === '/api/compress/') return { route: '/api/compress' };
    const v2 = modelName(path, V2_INFER_ROUTE);
    if (v2 !== null) return { route: '/v2/models/:name/infer', model: v2 };
    const model = path === '/api/process' ? this.registry.defaultModelName() : modelName(path);
    if (model === null) return null;
    return { route: path === '/api/process' ? '/api/process' : '/api/models/:name', model };
  }
}

function modelName(path: string, route = MODEL_ROUTE): string | null {
  const match = route.exec(path);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return null; // a malformed escape: Nest answers it
  }
}
