/**
 * `scripts/nginx.mjs --upstream`: nginx in front of several api nodes (README, Scaling out), and
 * compose.scale.yaml's `deploy/nginx.scale.conf`, through the real `nginx -t`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

/** The repository's root, from apps/api/dist/test. */
const ROOT = resolve(fileURLToPath(new URL('../../../..', import.meta.url)));
const NGINX_SCRIPT = new URL('../../../../scripts/nginx.mjs', import.meta.url).href;
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

type Values = Record<string, unknown> & { upstream?: string[] };
interface NginxScript {
  renderNginxConfig(values: Values): string;
  nginxComposeValues(env: Record<string, string | undefined>): Promise<Values>;
}

function nginxTest(config: string): void {
  const nginx = process.env['NGINX_BIN'] ?? (existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx');
  const dir = mkdtempSync(join(tmpdir(), 'dlserve-upstream-nginx-'));
  try {
    // As docker.spec.ts does: container paths and user swapped for local ones; `api` exists only on compose's network.
    const local = config
      .replace(/^user nginx;$/m, process.getuid?.() === 0 ? 'user root;' : '')
      .replaceAll('server api:1127 ', 'server 127.0.0.1:1127 ')
      .replaceAll('/var/cache/nginx', dir)
      .replaceAll('/var/log/nginx', dir)
      .replaceAll('/usr/share/nginx/html', dir)
      .replaceAll('/srv/dlserve/assets', dir);
    writeFileSync(join(dir, 'nginx.conf'), local);
    const test = spawnSync(nginx, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], { encoding: 'utf8' });
    assert.equal(test.error, undefined, `cannot run ${nginx}`);
    assert.equal(test.status, 0, test.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('nginx in front of several api nodes (--upstream)', () => {
  const composeEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(MAX_FILES|MAX_FILE_BYTES|MAX_REQUEST_BYTES)$/.test(name)));

  it('replaces the one API of the upstream by the nodes, sticky by client address, and changes nothing else', async () => {
    const { renderNginxConfig, nginxComposeValues } = (await import(NGINX_SCRIPT)) as NginxScript;
    const values = await nginxComposeValues(composeEnv);
    const single = renderNginxConfig(values);
    const several = renderNginxConfig({ ...values, upstream: ['api-1:1127', 'api-2:1127', '10.0.0.7:1127'] });
    assert.match(several, /upstream dlserve_api \{[^}]*hash \$remote_addr consistent;[^}]*server api-1:1127 max_fails=2 fail_timeout=10s;\s*server api-2:1127 [^;]*;\s*server 10\.0\.0\.7:1127 [^;]*;\s*keepalive 24;\s*\}/);
    const outsideUpstream = (config: string) => config.replace(/upstream dlserve_api \{[^}]*\}/, '');
    assert.equal(outsideUpstream(several), outsideUpstream(single));
    assert.equal(renderNginxConfig({ ...values, upstream: [] }), single, 'no --upstream: the single-node config');
    assert.throws(() => renderNginxConfig({ ...values, upstream: ['api;evil'] }), /host:port/);
  });

  it('passes nginx -t with several nodes', async () => {
    const { renderNginxConfig, nginxComposeValues } = (await import(NGINX_SCRIPT)) as NginxScript;
    nginxTest(renderNginxConfig({ ...(await nginxComposeValues(composeEnv)), upstream: ['127.0.0.1:1127', '127.0.0.1:1128'] }));
  });

  it('compose.scale.yaml: deploy/nginx.scale.conf is the committed render (`pnpm render:nginx:scale`) and passes nginx -t; redis, api and worker on the shared volumes', async () => {
    const { renderNginxConfig, nginxComposeValues } = (await import(NGINX_SCRIPT)) as NginxScript;
    const committed = read('deploy/nginx.scale.conf');
    assert.equal(committed, renderNginxConfig({ ...(await nginxComposeValues(composeEnv)), upstream: ['api:1127'] }));
    nginxTest(committed);
    const compose = parseYaml(read('compose.scale.yaml')) as { services: Record<string, { environment?: Record<string, unknown>; volumes?: string[] }> };
    assert.deepEqual(Object.keys(compose.services).sort(), ['api', 'nginx', 'redis', 'worker']);
    assert.equal(compose.services['api']!.environment!['ROLE'], 'api');
    assert.equal(compose.services['worker']!.environment!['ROLE'], 'worker');
    for (const role of ['api', 'worker']) assert.equal(compose.services[role]!.environment!['REDIS_URL'], 'redis://redis:6379');
    assert.deepEqual(compose.services['worker']!.volumes, ['assets:/app/data/assets', 'uploads:/app/data/uploads']);
    assert.deepEqual(compose.services['nginx']!.volumes, ['./deploy/nginx.scale.conf:/etc/nginx/nginx.conf:ro']);
  });
});
