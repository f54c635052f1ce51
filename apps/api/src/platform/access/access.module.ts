import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import type { AppConfig } from '../config/app-config.js';
import { ApiKeyGuard, ApiKeys } from './api-key.guard.js';

/**
 * Who may call `/api/*` and `/v2/*` and how often: API keys first (`API_KEYS`), then a rate limit per client
 * address (`RATE_LIMIT_MAX` per `RATE_LIMIT_WINDOW_SECONDS`; the address is the socket's, or the
 * one `X-Forwarded-For` names when `TRUST_PROXY` trusts the proxy). Guards run before the upload
 * is read, so a refused request costs almost nothing.
 */
@Module({})
export class AccessModule {
  static forRoot(config: AppConfig): DynamicModule {
    const guards: Provider[] = [{ provide: APP_GUARD, useClass: ApiKeyGuard }];
    const imports = [];
    if (config.rateLimitMax > 0) {
      const seconds = Math.round(config.rateLimitWindowMs / 1000);
      imports.push(
        ThrottlerModule.forRoot({
          throttlers: [{ ttl: config.rateLimitWindowMs, limit: config.rateLimitMax }],
          errorMessage: `Too many requests from this address: at most ${config.rateLimitMax} per ${seconds} s; see Retry-After.`,
        }),
      );
      guards.push({ provide: APP_GUARD, useClass: ThrottlerGuard });
    }
    return { module: AccessModule, imports, providers: [ApiKeys, ...guards], exports: [ApiKeys] };
  }
}
