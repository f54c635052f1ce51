// The Docker deployment, checked without Docker (no daemon where the tests run): the build
// context .dockerignore leaves, the Dockerfile's stages, compose.yaml's services, and the nginx
// config compose's nginx runs, through the real `nginx -t`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
// @ts-expect-error -- a plain ES module script shared with `pnpm start:nginx` (the path is dist/test's)
import { COMPOSE_NGINX_CONF, nginxComposeValues, renderNginxConfig } from '../../../../scripts/nginx.mjs';

/** The repository's root, from apps/api/dist/test. */
const ROOT = resolve(fileURLToPath(new URL('../../../..', import.meta.url)));
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

/** A .dockerignore pattern as Docker reads it (Go's filepath.Match plus `**`), anchored at the context's root. */
function ignoreMatcher(text: string): (path: string) => boolean {
  const rules = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const negate = line.startsWith('!');
      const pattern = (negate ? line.slice(1) : line).replace(/^\/+|\/+$/g, '');
      const source = pattern
        .split('/')
        .map((part) => (part === '**' ? '.*' : part.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')))
        .join('/')
        .replace(/\.\*\//g, '(?:.*/)?');
      // A pattern that names a directory excludes everything under it too.
      return { negate, regex: new RegExp(`^${source}(?:/.*)?$`) };
    });
  return (path) => rules.reduce((ignored, rule) => (rule.regex.test(path) ? !rule.negate : ignored), false);
}

/** The files `docker build .` would send: every file under the root that .dockerignore does not exclude. */
function buildContext(): Set<string> {
  const ignored = ignoreMatcher(read('.dockerignore'));
  const files = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (ignored(path)) continue;
      if (entry.isDirectory()) walk(path);
      else files.add(path);
    }
  };
  walk('');
  return files;
}

interface Instruction {
  keyword: string;
  args: string;
}

/** The Dockerfile's instructions: comments dropped, `\` continuations joined. */
function dockerfileInstructions(text: string): Instruction[] {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!current && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue;
    current += (current ? ' ' : '') + line.replace(/\\$/, '').trim();
    if (!line.endsWith('\\')) {
      logical.push(current);
      current = '';
    }
  }
  return logical.map((line) => {
    const [keyword = '', ...rest] = line.split(/\s+/);
    return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
  });
}

/** Stages by name, each with its instructions. */
function dockerfileStages(instructions: Instruction[]): Map<string, Instruction[]> {
  const stages = new Map<string, Instruction[]>();
  let stage: Instruction[] | null = null;
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const name = /\s+AS\s+(\S+)$/i.exec(instruction.args)?.[1];
      assert.ok(name, `every stage is named: FROM ${instruction.args}`);
      stage = [];
      stages.set(name, stage);
    }
    stage?.push(instruction);
  }
  return stages;
}

/** The variables the README's configuration table lists. */
function readmeVariables(): string[] {
  const readme = read('README.md');
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));
  return [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((match) => match[1] as string);
}

describe('Docker build context (.dockerignore)', () => {
  const context = buildContext();
  const inContext = (prefix: string): boolean => [...context].some((path) => path === prefix || path.startsWith(`${prefix}/`));

  it('leaves out dependencies, builds, local data and git', () => {
    for (const path of ['node_modules', 'apps/api/node_modules', 'apps/api/dist', 'apps/web/dist', 'packages/shared/dist', '.git', 'data', '.turbo']) {
      assert.equal(inContext(path), false, `${path} is not sent to the daemon`);
    }
    assert.deepEqual([...context].filter((path) => /(^|\/)(node_modules|dist|screenshots|bench-results)\//.test(path)), []);
  });

  it('sends the lockfile, the sources, the models and what the Dockerfile copies', () => {
    for (const path of ['pnpm-lock.yaml', 'pnpm-workspace.yaml', 'package.json', 'turbo.json', 'tsconfig.base.json',
      'apps/api/src/main.ts', 'apps/web/index.html', 'packages/shared/src/index.ts', 'models/esrgan-slim-x2/model.onnx',
      'models/ocr/model.json', 'deploy/nginx.compose.conf', 'tools/model-converter/package.json']) {
      assert.ok(context.has(path), `${path} is in the build context`);
    }
    for (const { keyword, args } of dockerfileInstructions(read('Dockerfile'))) {
      if (keyword !== 'COPY' || args.includes('--from=')) continue;
      const sources = args.split(/\s+/).filter((word) => !word.startsWith('--')).slice(0, -1);
      for (const source of sources) {
        const path = source.replace(/\/+$/, '');
        assert.ok(path === '.' || inContext(path), `COPY ${source}: in the build context`);
      }
    }
  });
});

describe('Dockerfile', () => {
  const instructions = dockerfileInstructions(read('Dockerfile'));
  const stages = dockerfileStages(instructions);
  const runs = (stage: string): string[] => (stages.get(stage) ?? []).filter((i) => i.keyword === 'RUN').map((i) => i.args);

  it('fetches from the lockfile, installs offline, builds, and installs production dependencies apart', () => {
    assert.deepEqual([...stages.keys()], ['base', 'fetch', 'build', 'prod-deps', 'nginx', 'api']);
    assert.match(instructions.find((i) => i.keyword === 'ARG' && i.args.startsWith('NODE_IMAGE'))?.args ?? '', /node:20-bookworm-slim/);
    const fetch = stages.get('fetch') ?? [];
    assert.deepEqual(fetch.filter((i) => i.keyword === 'COPY').map((i) => i.args), ['pnpm-lock.yaml pnpm-workspace.yaml ./']);
    assert.ok(runs('fetch').some((run) => run.includes('pnpm fetch')));
    assert.ok(runs('build').some((run) => /pnpm install --offline --frozen-lockfile/.test(run)));
    assert.ok(runs('build').includes('pnpm build'));
    assert.ok(runs('prod-deps').some((run) => /pnpm install --offline --frozen-lockfile --prod --filter '@dlserve\/api\.\.\.'/.test(run)));
  });

  it('runs the API as a non-root user, on 0.0.0.0:1127, with a health check on /api/health/ready', () => {
    const api = stages.get('api') ?? [];
    const last = (keyword: string): string | undefined => api.filter((i) => i.keyword === keyword).at(-1)?.args;
    assert.match(api[0]?.args ?? '', /^\$\{NODE_IMAGE\} AS api$/);
    assert.equal(last('USER'), 'node');
    assert.equal(last('EXPOSE'), '1127');
    assert.match(api.filter((i) => i.keyword === 'ENV').map((i) => i.args).join(' '), /\bHOST=0\.0\.0\.0\b/);
    assert.match(last('VOLUME') ?? '', /"\/app\/data\/assets", "\/app\/data\/uploads"/);
    const healthcheck = last('HEALTHCHECK') ?? '';
    assert.match(healthcheck, /CMD \["node", "-e", ".*\/api\/health\/ready/);
    assert.deepEqual(JSON.parse(last('CMD') ?? 'null'), ['node', 'apps/api/dist/src/main.js']);
    // Only production dependencies and built files reach the runtime image.
    const copies = api.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    assert.ok(copies.some((copy) => copy.startsWith('--from=prod-deps /app/node_modules ')));
    assert.equal(copies.some((copy) => copy.startsWith('--from=build /app/node_modules')), false);
    assert.ok(copies.includes('models ./models'));
  });

  it('builds nginx on the official image with the rendered config and the built app', () => {
    const nginx = stages.get('nginx') ?? [];
    assert.match(instructions.find((i) => i.keyword === 'ARG' && i.args.startsWith('NGINX_IMAGE'))?.args ?? '', /=nginx:/);
    const copies = nginx.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    assert.ok(copies.includes('deploy/nginx.compose.conf /etc/nginx/nginx.conf'));
    assert.ok(copies.includes('--from=build /app/apps/web/dist/ /usr/share/nginx/html/'));
  });
});

describe('compose.yaml', () => {
  const compose = parseYaml(read('compose.yaml')) as {
    services: Record<string, Record<string, unknown> & { environment?: Record<string, unknown> }>;
    volumes: Record<string, unknown>;
  };

  it('has the api and nginx services, the assets and uploads volumes', () => {
    assert.deepEqual(Object.keys(compose.services).sort(), ['api', 'nginx']);
    assert.deepEqual(Object.keys(compose.volumes).sort(), ['assets', 'uploads']);
    const { api, nginx } = compose.services;
    assert.deepEqual(api?.['build'], { context: '.', target: 'api' });
    assert.deepEqual(nginx?.['build'], { context: '.', target: 'nginx' });
    assert.deepEqual(api?.['volumes'], ['assets:/app/data/assets', 'uploads:/app/data/uploads']);
    // nginx serves /assets/ from the same volume, at the path the rendered config aliases.
    assert.deepEqual(nginx?.['volumes'], ['assets:/srv/dlserve/assets:ro']);
    assert.deepEqual(nginx?.['ports'], ['${NGINX_PORT:-8080}:80']);
    assert.deepEqual(nginx?.['depends_on'], { api: { condition: 'service_healthy' } });
  });

  it('checks the API is ready before nginx starts', () => {
    const healthcheck = compose.services['api']?.['healthcheck'] as { test: string[] };
    assert.equal(healthcheck.test[0], 'CMD');
    assert.match(healthcheck.test.join(' '), /http:\/\/127\.0\.0\.1:1127\/api\/health\/ready/);
  });

  it("passes every variable of the README's configuration table, with the README's defaults", () => {
    const environment = compose.services['api']?.environment ?? {};
    const variables = readmeVariables();
    assert.ok(variables.length > 30, 'the README table was read');
    // WEB_DIR, MODELS_DIR, ASSETS_DIR and UPLOADS_DIR are the image's layout, not settings of the deployment.
    const layout = ['WEB_DIR', 'MODELS_DIR', 'ASSETS_DIR', 'UPLOADS_DIR'];
    for (const name of variables.filter((variable) => !layout.includes(variable))) {
      assert.ok(name in environment, `${name} is passed to the API`);
    }
    assert.equal(environment['HOST'], '0.0.0.0');
    assert.equal(environment['PORT'], 1127);
    assert.equal(environment['MAX_FILE_BYTES'], '${MAX_FILE_BYTES:-26214400}');
    assert.equal(environment['MAX_FILES'], '${MAX_FILES:-20}');
    assert.equal(environment['MAX_REQUEST_BYTES'], '${MAX_REQUEST_BYTES:-104857600}');
  });
});

describe("compose's nginx config", () => {
  it('is the committed render of nginx.conf (`pnpm render:nginx:compose`)', async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(MAX_FILES|MAX_FILE_BYTES|MAX_REQUEST_BYTES)$/.test(name)));
    assert.equal(read('deploy/nginx.compose.conf'), renderNginxConfig(await nginxComposeValues(env)));
    assert.equal(COMPOSE_NGINX_CONF, join(ROOT, 'deploy/nginx.compose.conf'));
  });

  it('passes `nginx -t` (container paths, user and the host `api` swapped for local ones)', () => {
    const nginx = process.env['NGINX_BIN'] ?? (existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx');
    const dir = mkdtempSync(join(tmpdir(), 'dlserve-compose-nginx-'));
    try {
      // nginx -t resolves an upstream's host name, and `api` exists only on compose's network; the
      // user `nginx` only in the image. Everything else is checked as it ships.
      const config = read('deploy/nginx.compose.conf')
        .replace(/^user nginx;$/m, process.getuid?.() === 0 ? 'user root;' : '')
        .replace('server api:1127;', 'server 127.0.0.1:1127;')
        .replaceAll('/var/cache/nginx', dir)
        .replaceAll('/var/log/nginx', dir)
        .replaceAll('/usr/share/nginx/html', dir)
        .replaceAll('/srv/dlserve/assets', dir);
      assert.doesNotMatch(config, /\bapi:1127\b|\/var\/cache|\/var\/log|\/usr\/share\/nginx|\/srv\//);
      const file = join(dir, 'nginx.conf');
      writeFileSync(file, config);
      const test = spawnSync(nginx, ['-t', '-p', dir, '-c', file], { encoding: 'utf8' });
      assert.equal(test.error, undefined, `cannot run ${nginx}`);
      assert.equal(test.status, 0, test.stderr);
      assert.match(test.stderr, /test is successful/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
