import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config.js';
import { AppError } from '../errors/app-error.js';

const OPEN = 'dlserve:open';

/** Marks a route as open to all, keys or not (the health probe). */
export const Open = (): MethodDecorator & ClassDecorator => SetMetadata(OPEN, true);

/** Hashed, so that comparing keys takes the same time whatever their lengths. */
const digest = (key: string): Buffer => createHash('sha256').update(key).digest();

/**
 * `API_KEYS`: when set, every `/api/*` route that is not `@Open()` needs one of the keys, as
 * `Authorization: Bearer <key>` or `X-API-Key: <key>`; else 401 `unauthorized`. Runs before the
 * upload is read.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: Buffer[];

  constructor(
    config: AppConfig,
    private readonly reflector: Reflector,
  ) {
    this.keys = config.apiKeys.map(digest);
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.keys.length === 0) return true;
    if (this.reflector.getAllAndOverride<boolean>(OPEN, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const key = presentedKey(request);
    if (key !== null) {
      const given = digest(key);
      // Every key compared, so the time does not say which one matched.
      let match = false;
      for (const known of this.keys) match = timingSafeEqual(known, given) || match;
      if (match) return true;
    }
    context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="dlserve"');
    throw new AppError(
      'unauthorized',
      key === null ? 'This API needs a key: send Authorization: Bearer <key> or X-API-Key: <key>.' : 'The API key is not valid.',
    );
  }
}

function presentedKey(request: Request): string | null {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header.length > 0) return header;
  const authorization = request.headers.authorization;
  const bearer = authorization && /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return bearer ? bearer[1]! : null;
}
