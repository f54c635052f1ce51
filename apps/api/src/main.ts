import { Logger } from '@nestjs/common';
import { createApp } from './app.js';
import { AppConfig } from './platform/config/app-config.js';
import { exitGracefullyOnSignals } from './platform/lifecycle/graceful-shutdown.js';

let config: AppConfig;
try {
  config = AppConfig.fromEnv();
} catch (error) {
  // Fail fast, before anything starts, with every bad variable named.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

const app = await createApp(config);
exitGracefullyOnSignals(app);
await app.listen(config.port, config.host);
const address = app.getHttpServer().address();
const port = typeof address === 'object' && address ? address.port : config.port;
new Logger('dlserve').log(
  `Listening on http://${config.host}:${port} — assets in ${config.assetsDir}, web app ${config.webDir ?? 'off'}`,
);
