import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { AppModule } from './app.module.js';
import { isGeneratedFileName } from './infrastructure/storage/file-names.js';
import { AppError } from './platform/errors/app-error.js';
import { ApiExceptionFilter } from './platform/http/api-exception.filter.js';
import type { AppConfig } from './platform/config/app-config.js';

/**
 * The API with its global setup, made once here for the server (main.ts) and the end-to-end tests.
 * No JSON/urlencoded body parsers: every endpoint reads multipart, and their errors would bypass
 * the one error shape.
 */
export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    abortOnError: false,
    logger: process.env.NODE_ENV === 'test' ? ['error', 'warn'] : undefined,
  });
  app.setGlobalPrefix('api');
  app.useGlobalFilters(new ApiExceptionFilter());
  // Only names the stores generate are looked up: `../`, `%2e%2e%2f`, NUL bytes, backslashes and
  // absolute paths are a 404 in the one error shape before the static server sees them.
  app.use('/assets', (request: Request, response: Response, next: NextFunction) => {
    if (isGeneratedFileName(request.path.slice(1))) return next();
    response.status(404).json(new AppError('not_found', 'There is no such asset.').toBody());
  });
  app.useStaticAssets(config.assetsDir, {
    prefix: '/assets/',
    index: false,
    dotfiles: 'ignore',
    // Result names are random and never reused, so a result may be cached forever.
    immutable: true,
    maxAge: '365d',
  });
  app.enableShutdownHooks();
  return app;
}
