#!/usr/bin/env node
// Renders nginx.conf for this machine and runs the real nginx in front of the API.
//
//   pnpm start:nginx          nginx on NGINX_PORT (default 8080), proxying to the API (pnpm start)
//   pnpm render:nginx         print the rendered config (for /etc/nginx on a server)
//   pnpm render:nginx:compose write deploy/nginx.compose.conf, the config of compose.yaml's nginx
//
//   --upstream host:port,host:port   (with any of them) several api nodes (ROLE=api) instead of one,
//                                    e.g. `node scripts/nginx.mjs --print --upstream api1:1127,api2:1127`
//
// The API's own settings (PORT, HOST, ASSETS_DIR, MAX_FILE_BYTES, MAX_FILES) are read with the
// API's own parser, so nginx and the API always agree on ports, folders and limits.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TEMPLATE = join(ROOT, 'nginx.conf');
/** Slack for the multipart framing and text fields on top of the files themselves. */
const MULTIPART_SLACK_BYTES = 1024 * 1024;

/**
 * Fills nginx.conf's placeholders. Every value is required, so a forgotten one is an error, not
 * a broken config.
 * @param {{ listen: string, webRoot: string, assetsDir: string, apiAddress: string,
 *   maxBodyBytes: number, maxRequestBytes?: number, runDir: string, mimeTypes?: string, user?: string | null,
 *   errorLog?: string, accessLog?: string, upstream?: string[] }} values
 * @returns {string}
 */
export function renderNginxConfig(values) {
  const rendered = renderTemplate(values);
  return values.upstream?.length ? withUpstream(rendered, values.upstream) : rendered;
}

/** The `dlserve_api` block of a config rendered for one API, as the template writes it. */
const SINGLE_UPSTREAM = /( *)upstream dlserve_api \{\n[^}]*\}/;

/**
 * The config with several api nodes (ROLE=api, see the README's *Scaling out*) behind
 * `dlserve_api` instead of one: a node that refuses connections is passed over (nginx tries the
 * next one for a request not yet sent) and left alone for 10 s. A job's state, events and
 * cancellation live on the api node that accepted it, so a client sticks to one node by its address.
 * @param {string} rendered
 * @param {string[]} nodes host:port of each api node
 */
export function withUpstream(rendered, nodes) {
  for (const node of nodes) {
    if (!/^[A-Za-z0-9.-]+:\d{1,5}$/.test(node)) throw new Error(`--upstream: '${node}' is not host:port`);
  }
  if (!SINGLE_UPSTREAM.test(rendered)) throw new Error('nginx.conf: no upstream dlserve_api block to replace');
  return rendered.replace(SINGLE_UPSTREAM, (_, indent) =>
    [
      `${indent}upstream dlserve_api {`,
      `${indent}    # Several api nodes: a job lives on the node that took it (its status, events and DELETE), so each client address sticks to one.`,
      `${indent}    hash $remote_addr consistent;`,
      ...nodes.map((node) => `${indent}    server ${node} max_fails=2 fail_timeout=10s;`),
      `${indent}    keepalive ${8 * nodes.length};`,
      `${indent}}`,
    ].join('\n'),
  );
}

/** @param {Parameters<typeof renderNginxConfig>[0]} values */
function renderTemplate(values) {
  const fields = {
    LISTEN: values.listen,
    WEB_ROOT: values.webRoot,
    ASSETS_DIR: values.assetsDir.replace(/\/+$/, ''),
    API_ADDRESS: values.apiAddress,
    MAX_BODY_BYTES: String(values.maxBodyBytes),
    // /v2/ reads raw bodies up to MAX_REQUEST_BYTES (no multipart); by default the same as /api/.
    MAX_REQUEST_BYTES: String(values.maxRequestBytes ?? values.maxBodyBytes),
    RUN_DIR: values.runDir,
    ERROR_LOG: values.errorLog ?? `${values.runDir}/error.log`,
    ACCESS_LOG: values.accessLog ?? `${values.runDir}/access.log`,
    MIME_TYPES: values.mimeTypes ?? '/etc/nginx/mime.types',
    // nginx run by root drops its workers to `nobody` unless told otherwise; they must read the
    // project's folders, which may be private to the user running it.
    USER_DIRECTIVE: values.user ? `user ${values.user};` : '',
  };
  return readFileSync(TEMPLATE, 'utf8').replace(/\{\{([A-Z_]+)\}\}/g, (placeholder, name) => {
    const value = fields[name];
    if (value === undefined) throw new Error(`nginx.conf: no value for ${placeholder}`);
    return value;
  });
}

/**
 * The values for this machine: the API's configuration from the environment plus NGINX_PORT.
 * @param {Record<string, string | undefined>} env
 */
export async function nginxValuesFromEnv(env = process.env) {
  const configModule = join(ROOT, 'apps/api/dist/src/platform/config/app-config.js');
  /** @type {{ AppConfig: { fromEnv(env: Record<string, string | undefined>): {
   *   port: number, host: string, assetsDir: string, maxFileBytes: number, maxFiles: number, maxRequestBytes: number,
   *   webDir: string | null } } }} */
  const { AppConfig } = await import(pathToFileURL(configModule).href).catch(() => {
    throw new Error('The API is not built yet: run `pnpm build` first.');
  });
  const config = AppConfig.fromEnv(env);
  const apiHost = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  return {
    listen: `${env.NGINX_HOST ?? '127.0.0.1'}:${env.NGINX_PORT ?? '8080'}`,
    webRoot: join(ROOT, 'apps/web/dist'),
    assetsDir: config.assetsDir,
    apiAddress: `${apiHost}:${config.port}`,
    maxBodyBytes: Math.min(config.maxRequestBytes, config.maxFiles * config.maxFileBytes + MULTIPART_SLACK_BYTES),
    maxRequestBytes: config.maxRequestBytes,
    runDir: resolve(env.NGINX_RUN_DIR ?? join(ROOT, '.nginx')),
    user: process.getuid?.() === 0 ? 'root' : null,
  };
}

/** Where compose.yaml's nginx finds the app and the results, and how it reaches the API. */
export const COMPOSE_NGINX_CONF = join(ROOT, 'deploy/nginx.compose.conf');

/**
 * The values for compose.yaml's nginx container (the official image): the app copied to its
 * html folder, the `assets` volume mounted read-only, the API as the compose service `api`.
 * The upload limits come from the same variables compose.yaml passes to the API (defaults when
 * unset), so re-render after changing MAX_FILES, MAX_FILE_BYTES or MAX_REQUEST_BYTES there.
 * @param {Record<string, string | undefined>} env
 */
export async function nginxComposeValues(env = process.env) {
  const { maxBodyBytes } = await nginxValuesFromEnv({ ...env, PORT: '1127' });
  return {
    listen: '80',
    webRoot: '/usr/share/nginx/html',
    assetsDir: '/srv/dlserve/assets',
    // Docker's DNS answers `api` once the service exists; compose starts nginx after the API is healthy.
    apiAddress: 'api:1127',
    maxBodyBytes,
    runDir: '/var/cache/nginx',
    // The official image links these to the container's stdout and stderr.
    errorLog: '/var/log/nginx/error.log',
    accessLog: '/var/log/nginx/access.log',
    user: 'nginx',
  };
}

/**
 * Writes the rendered config into its run folder and starts nginx in the foreground.
 * @param {Parameters<typeof renderNginxConfig>[0]} values
 * @param {{ nginx?: string, stdio?: import('node:child_process').StdioOptions }} [options]
 */
export function startNginx(values, options = {}) {
  const nginx = options.nginx ?? process.env.NGINX_BIN ?? 'nginx';
  mkdirSync(values.runDir, { recursive: true });
  mkdirSync(values.assetsDir, { recursive: true });
  const configFile = join(values.runDir, 'nginx.conf');
  writeFileSync(configFile, renderNginxConfig(values));
  const test = spawnSync(nginx, ['-t', '-q', '-p', values.runDir, '-c', configFile], { encoding: 'utf8' });
  if (test.error) throw new Error(`Cannot run ${nginx}: ${test.error.message} (apt-get install nginx)`);
  if (test.status !== 0) throw new Error(`nginx rejected ${configFile}:\n${test.stderr}`);
  return spawn(nginx, ['-p', values.runDir, '-c', configFile, '-g', 'daemon off;'], {
    stdio: options.stdio ?? 'inherit',
  });
}

/** `--upstream a:1,b:2`: the api nodes, or undefined. */
function upstreamArgument() {
  const at = process.argv.indexOf('--upstream');
  if (at === -1) return undefined;
  const value = process.argv[at + 1];
  if (!value) throw new Error('--upstream needs host:port,host:port');
  return value.split(',').map((node) => node.trim()).filter(Boolean);
}

async function main() {
  const upstream = upstreamArgument();
  if (process.argv.includes('--compose')) {
    const rendered = renderNginxConfig({ ...(await nginxComposeValues()), upstream });
    if (process.argv.includes('--print')) process.stdout.write(rendered);
    else writeFileSync(COMPOSE_NGINX_CONF, rendered);
    return;
  }
  const values = { ...(await nginxValuesFromEnv()), upstream };
  if (process.argv.includes('--print')) {
    process.stdout.write(renderNginxConfig(values));
    return;
  }
  const nginx = startNginx(values);
  const api = upstream ? upstream.map((node) => `http://${node}`).join(', ') : `http://${values.apiAddress}`;
  console.log(`nginx on http://${values.listen}/ → API at ${api} (start it with \`pnpm start\`)`);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => nginx.kill('SIGQUIT'));
  nginx.on('exit', (code) => process.exit(code ?? 0));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
