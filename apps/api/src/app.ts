import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
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
