import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AppConfig } from '../config/app-config.js';
import { AppError } from '../errors/app-error.js';

const OPEN = 'dlserve:open';

/** Marks a route as open to all, keys or not (the health probe). */
export const Open = (): MethodDecorator & ClassDecorator => SetMetadata(OPEN, true);

/** Hashed, so that comparing keys takes the same time whatever their lengths. */
const digest = (key: string): Buffer => createHash('sha256').update(key).digest();

/** `API_KEYS`, hashed once: whether a request carries one of them. */
@Injectable()
export class ApiKeys {
  private readonly keys: Buffer[];

  constructor(config: AppConfig) {
    this.keys = config.apiKeys.map(digest);
  }

  /** True when no key is configured (the API is open). */
  get open(): boolean {
    return this.keys.length === 0;
  }

  /** The request's key, as `X-API-Key: <key>` or `Authorization: Bearer <key>`, or null. */
  presented(request: IncomingMessage): string | null {
    const header = request.headers['x-api-key'];
    if (typeof header === 'string' && header.length > 0) return header;
    const authorization = request.headers.authorization;
    const bearer = authorization && /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return bearer ? bearer[1]! : null;
  }

  accepts(request: IncomingMessage): boolean {
    if (this.open) return true;
    const key = this.presented(request);
    if (key === null) return false;
    const given = digest(key);
    // Every key compared, so the time does not say which one matched.
    let match = false;
    for (const known of this.keys) match = timingSafeEqual(known, given) || match;
    return match;
  }
}

/**
 * `API_KEYS`: when set, every `/api/*` and `/v2/*` route that is not `@Open()` needs one of the keys, as
 * `Authorization: Bearer <key>` or `X-API-Key: <key>`; else 401 `unauthorized`. Runs before the
 * upload is read.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly keys: ApiKeys,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.keys.open) return true;
    if (this.reflector.getAllAndOverride<boolean>(OPEN, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (this.keys.accepts(request)) return true;
    context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="dlserve"');
    throw new AppError(
      'unauthorized',
      this.keys.presented(request) === null ? 'This API needs a key: send Authorization: Bearer <key> or X-API-Key: <key>.' : 'The API key is not valid.',
    );
  }
}
