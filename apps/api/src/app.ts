import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import helmet from 'helmet';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { LoadShedding } from './api/rest/load-shedding.js';
import { setUpOpenApi } from './api/rest/openapi.js';
import { AppModule } from './app.module.js';
import { isGeneratedFileName } from './infrastructure/storage/file-names.js';
import { AppError } from './platform/errors/app-error.js';
import { Metrics } from './platform/metrics/metrics.js';
import { InFlightRequests } from './platform/lifecycle/in-flight-requests.js';
import { ApiExceptionFilter, sendError } from './platform/http/api-exception.filter.js';
import type { AppConfig } from './platform/config/app-config.js';

/**
 * The API with its global setup, made once here for the server (main.ts) and the end-to-end tests.
 * No JSON/urlencoded body parsers: every /api endpoint reads multipart, and /v2's infer reads its
 * own raw body (JSON, then binary tensors); a parser's errors would bypass the one error shape.
 */
export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    abortOnError: false,
    logger: process.env.NODE_ENV === 'test' ? ['error', 'warn'] : undefined,
  });
  // First, so that a shutdown waits for every request (see graceful-shutdown.ts).
  app.use(app.get(InFlightRequests).track);
  app.use(app.get(Metrics).httpMiddleware);
  // The Open Inference Protocol's routes are its own: /v2/…, next to /api/….
  app.setGlobalPrefix('api', { exclude: ['v2', 'v2/{*path}'] });
  app.useGlobalFilters(new ApiExceptionFilter());
  // The OpenAPI UI and document at /api/docs, open like the health routes (they describe, they run nothing).
  setUpOpenApi(app);
  // Only names the stores generate are looked up: `../`, `%2e%2e%2f`, NUL bytes, backslashes and
  // absolute paths are a 404 in the one error shape before the static server sees them.
  app.use('/assets', (request: Request, response: Response, next: NextFunction) => {
    if (isGeneratedFileName(request.path.slice(1))) return next();
    sendError(request, response, new AppError('not_found', 'There is no such asset.'));
  });
  // Whose X-Forwarded-For to believe (the rate limit's client address); by default nobody's.
  app.set('trust proxy', config.trustProxy);
  app.use(helmet(securityHeaders(config)));
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.corsOrigins.includes('*') ? '*' : [...config.corsOrigins],
      methods: ['GET', 'POST', 'DELETE'],
      allowedHeaders: ['Authorization', 'X-API-Key', 'Content-Type', 'Prefer', 'Inference-Header-Content-Length'],
      // The V2 binary answer's JSON length, for a browser client to split the body.
      exposedHeaders: ['Retry-After', 'Inference-Header-Content-Length'],
      maxAge: 600,
    });
  }
  // After the security and CORS headers, so that a refusal carries them; before Nest's routing.
  app.use(app.get(LoadShedding).middleware);
  app.useStaticAssets(config.assetsDir, {
    prefix: '/assets/',
    index: false,
    dotfiles: 'ignore',
    // Result names are random and never reused, so a result may be cached forever.
    immutable: true,
    maxAge: '365d',
  });
  return app;
}

/**
 * helmet's headers (nosniff, frame and referrer policies…) on every answer, assets included, with
 * a CSP the built app runs under: its own scripts and styles, images from data: and blob: URLs (the
 * previews of picked files). No upgrade-insecure-requests: dlserve is often reached over plain
 * HTTP on a LAN. With CORS on, results may be embedded by the allowed origins.
 */
function securityHeaders(config: AppConfig): Parameters<typeof helmet>[0] {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    crossOriginResourcePolicy: { policy: config.corsOrigins.length > 0 ? 'cross-origin' : 'same-origin' },
    strictTransportSecurity: false,
  };
}
