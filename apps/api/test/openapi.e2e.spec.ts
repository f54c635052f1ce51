import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { OpenAPIObject, ResponseObject } from '@nestjs/swagger';
import { Ajv2020 } from 'ajv/dist/2020.js';
import sharp from 'sharp';
import request from 'supertest';
import { startTestApp, type TestApp } from './app.js';

const MODELS_DIR = fileURLToPath(new URL('../../../../models/', import.meta.url));
const example = (model: string, file: string): Promise<Buffer> => readFile(join(MODELS_DIR, model, file));

/** `/api/models/:name` as OpenAPI writes it: `/api/models/{name}`. */
const template = (expressPath: string): string => expressPath.replace(/:(\w+)/g, '{$1}');

describe('OpenAPI document and UI at /api/docs', () => {
  let t: TestApp;
  let document: OpenAPIObject;
  before(async () => {
    t = await startTestApp({ MODELS_DIR, MODELS: 'text-direction,ocr,esrgan-slim-x2', DEFAULT_MODEL: 'text-direction', TILE_WORKERS: '0' });
    document = (await request(t.http).get('/api/docs/openapi.json').expect(200)).body;
  });
  after(() => t.close());

  it('serves the Swagger UI, and the document as JSON and YAML, valid OpenAPI 3.1', async () => {
    const page = await request(t.http).get('/api/docs').expect(200);
    assert.match(page.headers['content-type'] ?? '', /^text\/html/);
    assert.match(page.text, /swagger-ui/);
    await request(t.http).get('/api/docs/swagger-ui-init.js').expect(200);
    const yaml = await request(t.http).get('/api/docs/openapi.yaml').expect(200);
    assert.match(yaml.text, /^openapi: 3\.1\.0/m);
    assert.equal(document.openapi, '3.1.0');
    const { valid, errors } = await new Validator().validate(document as unknown as Record<string, unknown>);
    assert.ok(valid, JSON.stringify(errors, null, 2));
  });

  it('documents every route the app serves, and no other', () => {
    const router = (t.app.getHttpAdapter().getInstance() as { router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> } }).router;
    const served = router.stack
      .filter((layer) => layer.route && /^\/(api|v2)(\/|$)/.test(layer.route.path) && !layer.route.path.startsWith('/api/docs'))
      .flatMap(({ route }) => Object.keys(route!.methods).map((method) => `${method} ${template(route!.path)}`));
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      (['get', 'post', 'put', 'delete', 'patch'] as const).filter((method) => item[method]).map((method) => `${method} ${path}`),
    );
    assert.ok(served.length >= 12, `routes found: ${served.join(', ')}`);
    assert.deepEqual([...new Set(served)].sort(), documented.sort());
  });

  it('has the contract’s types as its schemas, with their doc comments', () => {
    const schemas = document.components?.schemas ?? {};
    for (const name of ['ApiError', 'StatusResponse', 'CompressResponse', 'ModelListResponse', 'OcrResponse', 'JobStatus', 'JobEvent']) assert.ok(name in schemas, name);
    assert.match(JSON.stringify(schemas.CompressedFile), /never used on the server's disk/);
    const upload = document.paths['/api/compress']?.post?.requestBody as { content: Record<string, { schema: { properties: Record<string, unknown> } }> };
    assert.deepEqual(Object.keys(upload.content['multipart/form-data']!.schema.properties).sort(), ['format', 'maxHeight', 'maxWidth', 'target', 'the_file']);
  });

  it('describes what every route really answers: each status documented, each body valid against its schema', async () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const checked: string[] = [];
    const conforms = async (method: 'get' | 'post' | 'delete', path: string, response: request.Response): Promise<void> => {
      const operation = document.paths[path]?.[method];
      assert.ok(operation, `${method} ${path} is not documented`);
      const documented = operation.responses[String(response.status)] as ResponseObject | undefined;
      assert.ok(documented, `${method} ${path} answered ${response.status}, which its operation does not list`);
      const schema = documented.content?.['application/json']?.schema;
      assert.ok(schema, `${method} ${path} ${response.status} has no JSON schema`);
      const validate = ajv.compile({ ...schema, components: document.components });
      assert.ok(validate(response.body), `${method} ${path} ${response.status}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(response.body).slice(0, 400)}`);
      checked.push(`${method} ${path} ${response.status}`);
    };
    const photo = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#4477aa' } }).jpeg().toBuffer();
    const line = await example('text-direction', 'line.png');

    await conforms('get', '/api/models', await request(t.http).get('/api/models'));
    await conforms('get', '/api/models/{name}', await request(t.http).get('/api/models/ocr'));
    await conforms('get', '/api/models/{name}', await request(t.http).get('/api/models/no-such-model'));
    await conforms('get', '/api/health', await request(t.http).get('/api/health'));
    await conforms('get', '/api/status', await request(t.http).get('/api/status'));
    await conforms('post', '/api/models/{name}', await request(t.http).post('/api/models/text-direction').attach('the_file', line, 'line.png'));
    await conforms('post', '/api/models/{name}', await request(t.http).post('/api/models/ocr').attach('the_file', await example('ocr', 'sign.png'), 'sign.png'));
    await conforms('post', '/api/models/{name}', await request(t.http).post('/api/models/esrgan-slim-x2').attach('the_file', photo, 'small.jpg'));
    await conforms('post', '/api/process', await request(t.http).post('/api/process').attach('the_file', line, 'line.png'));
    await conforms('post', '/api/process', await request(t.http).post('/api/process').attach('the_file', Buffer.from('not an image'), 'notes.png'));
    await conforms('post', '/api/compress', await request(t.http).post('/api/compress').attach('the_file', photo, 'photo.jpg'));
    await conforms('post', '/api/compress', await request(t.http).post('/api/compress').field('format', 'bmp').attach('the_file', photo, 'photo.jpg'));
    await conforms('post', '/api/compress', await request(t.http).post('/api/compress'));
    await conforms('post', '/api/uploads', await request(t.http).post('/api/uploads').attach('the_file', photo, 'photo.jpg'));

    const accepted = await request(t.http).post('/api/models/text-direction?async=1').attach('the_file', line, 'line.png');
    await conforms('post', '/api/models/{name}', accepted);
    const status = accepted.body.status as string;
    let job = await request(t.http).get(status);
    for (let tries = 0; job.body.state !== 'done' && tries < 100; tries++) job = await request(t.http).get(status);
    assert.equal(job.body.state, 'done');
    await conforms('get', '/api/jobs/{id}', job);
    await conforms('delete', '/api/jobs/{id}', await request(t.http).delete(status));
    // After the traffic above, with latencies and batch sizes in its series.
    await conforms('get', '/api/status', await request(t.http).get('/api/status'));
    await conforms('get', '/api/jobs/{id}', await request(t.http).get('/api/jobs/no-such-job'));

    assert.deepEqual(
      [...new Set(checked.map((entry) => entry.split(' ').pop()))].sort(),
      ['200', '201', '202', '400', '404', '415'],
      'the statuses exercised',
    );
  });
});
