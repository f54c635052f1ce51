/**
 * The real nginx with the repository's nginx.conf in front of a running API, as
 * `pnpm start:nginx` and the web app's end-to-end tests start it (scripts/nginx.mjs).
 */
import type { ChildProcess, StdioOptions } from 'node:child_process';
import { join } from 'node:path';
import { stopChild, waitForHealth } from './server.js';

/** scripts/nginx.mjs, found from the compiled file (dist/bench/serving/) at run time: a plain script outside the TypeScript project. */
const NGINX_SCRIPT = new URL('../../../../../scripts/nginx.mjs', import.meta.url).href;
const WEB_DIST = new URL('../../../../web/dist', import.meta.url);

interface NginxScript {
  startNginx(
    values: { listen: string; webRoot: string; assetsDir: string; apiAddress: string; maxBodyBytes: number; runDir: string; user?: string | null },
    options?: { stdio?: StdioOptions },
  ): ChildProcess;
}

export interface Front {
  url: string;
  stop(): Promise<void>;
}

export async function startNginxFront(options: { apiAddress: string; port: number; assetsDir: string; runDir: string }): Promise<Front> {
  const { startNginx } = (await import(NGINX_SCRIPT)) as NginxScript;
  const child = startNginx(
    {
      listen: `127.0.0.1:${options.port}`,
      webRoot: WEB_DIST.pathname,
      assetsDir: options.assetsDir,
      apiAddress: options.apiAddress,
      // The API's defaults: MAX_FILES × MAX_FILE_BYTES plus the multipart slack, as scripts/nginx.mjs works it out.
      maxBodyBytes: 20 * 25 * 1024 * 1024 + 1024 * 1024,
      runDir: join(options.runDir),
      user: process.getuid?.() === 0 ? 'root' : null,
    },
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const url = `http://127.0.0.1:${options.port}`;
  const stop = () => stopChild(child, 'SIGQUIT');
  try {
    await waitForHealth(`${url}/api/health`, child, 30_000, () => log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}
