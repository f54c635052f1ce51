import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app.js';
import { AppConfig } from '../src/platform/config/app-config.js';
import { ModelRegistry } from '../src/serving/lifecycle/model-registry.js';

process.env.NODE_ENV = 'test';

/** The real Nest app on temporary folders, for supertest. */
export interface TestApp {
  app: NestExpressApplication;
  http: ReturnType<NestExpressApplication['getHttpServer']>;
  config: AppConfig;
  /** Every file now in the assets and uploads folders, hidden temporary ones included. */
  filesOnDisk(): Promise<{ assets: string[]; uploads: string[] }>;
  close(): Promise<void>;
}

export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const root = await mkdtemp(join(tmpdir(), 'dlserve-e2e-'));
  const config = AppConfig.fromEnv({
    ASSETS_DIR: join(root, 'assets'),
    UPLOADS_DIR: join(root, 'uploads'),
    WEB_DIR: '',
    // No models unless a test brings its own: loading the repository's would slow every test.
    MODELS_DIR: join(root, 'models'),
    ...env,
  });
  const app = await createApp(config);
  await app.init();
  await app.get(ModelRegistry).whenLoaded();
  const list = (dir: string) => readdir(dir).catch(() => [] as string[]);
  return {
    app,
    http: app.getHttpServer(),
    config,
    filesOnDisk: async () => ({ assets: await list(config.assetsDir), uploads: await list(config.uploadsDir) }),
    close: async () => {
      await app.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
