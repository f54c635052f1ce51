import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { startTestApp, type TestApp } from './app.js';

/** The embedded default: one process serves the app at /, the API at /api/ and results at /assets/. */
describe('embedded web app', () => {
  let t: TestApp;
  let webDir: string;
  before(async () => {
    webDir = await mkdtemp(join(tmpdir(), 'dlserve-web-'));
    await mkdir(join(webDir, 'static'));
    await writeFile(join(webDir, 'index.html'), '<!doctype html><title>dlserve</title><div id="app"></div>');
    await writeFile(join(webDir, 'static', 'main-abc123.js'), 'console.log("hi")');
    t = await startTestApp({ WEB_DIR: webDir });
  });
  after(async () => {
    await t.close();
    await rm(webDir, { recursive: true, force: true });
  });

  it('serves index.html at / and for the app’s own routes, never cached', async () => {
    for (const path of ['/', '/some/client/route']) {
      const response = await request(t.http).get(path).expect(200).expect('Content-Type', /html/);
      assert.match(response.text, /<title>dlserve<\/title>/);
      assert.equal(response.headers['cache-control'], 'no-cache');
    }
  });

  it('serves the hashed bundles with a long cache', async () => {
    const response = await request(t.http).get('/static/main-abc123.js').expect(200).expect('Content-Type', /javascript/);
    assert.match(response.headers['cache-control'] ?? '', /immutable/);
  });

  it('keeps /api/ and /assets/ for the API: unknown paths there are JSON 404s, not the app', async () => {
    await request(t.http).get('/api/health').expect(200).expect('Content-Type', /json/);
    await request(t.http).get('/api/unknown').expect(404).expect('Content-Type', /json/);
    await request(t.http).get('/assets/missing.png').expect(404).expect('Content-Type', /json/);
  });
});
