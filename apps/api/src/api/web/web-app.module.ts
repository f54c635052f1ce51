import { Logger, Module } from '@nestjs/common';
import { ServeStaticModule, type ServeStaticModuleOptions } from '@nestjs/serve-static';
import type { Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '../../platform/config/app-config.js';

/**
 * The embedded default: the built single-page app at `/`, with every path that is not under
 * `/api/` or `/assets/` answered with `index.html`. Behind nginx this is simply never reached.
 */
@Module({
  imports: [
    ServeStaticModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig): ServeStaticModuleOptions[] => {
        const webDir = config.webDir;
        if (webDir === null) return [];
        if (!existsSync(join(webDir, 'index.html'))) {
          new Logger('WebAppModule').warn(`No web app at ${webDir} (run \`pnpm build\`); serving the API only.`);
          return [];
        }
        return [
          {
            rootPath: webDir,
            exclude: ['/api/{*path}', '/assets/{*path}'],
            serveStaticOptions: { index: false, setHeaders: setWebCacheHeaders },
          },
        ];
      },
    }),
  ],
})
export class WebAppModule {}

/** Vite's hashed bundles under /static/ never change; index.html must always be revalidated. */
function setWebCacheHeaders(response: Response, path: string): void {
  response.setHeader('Cache-Control', /[/\\]static[/\\]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
}
