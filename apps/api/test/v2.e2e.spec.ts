import type { ClassificationResponse } from '@dlserve/shared';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import request from 'supertest';
import { startTestApp, type TestApp } from './app.js';
import { ModelRegistry } from '../src/serving/lifecycle/model-registry.js';
import { DataPlane } from '../src/serving/dataplane.js';
import { TENSOR_UNIT } from '../src/serving/tensors/tensor.js';
import { pixelsToTensor } from '../src/tasks/tensor.js';

const MODELS_DIR = fileURLToPath(new URL('../../../../models/', import.meta.url));
const INFER = '/v2/models/text-direction/infer';

interface V2Output {
  name: string;
  shape: number[];
  datatype: string;
  data?: number[];
  parameters?: { binary_data_size?: number };
}
interface V2Response {
  model_name: string;
  model_version?: string;
  id: string;
  outputs: V2Output[];
}

/** models/text-direction/line.png as the model's 1×3×48×192 input, normalised as its manifest says. */
async function lineTensor(registry: ModelRegistry, file = 'line.png'): Promise<Float32Array> {
  const { manifest } = registry.ready('text-direction');
  const pixels = await sharp(`${MODELS_DIR}/text-direction/${file}`).removeAlpha().resize(192, 48, { fit: 'fill' }).raw().toBuffer();
  return pixelsToTensor(pixels, 192, 48, manifest.input);
}

/** The binary extension's body: the JSON header, then each tensor's bytes. */
function binaryBody(header: object, tensors: ArrayBufferView[]): { body: Buffer; headerLength: number } {
  const json = Buffer.from(JSON.stringify(header));
  const parts = tensors.map((tensor) => Buffer.from(tensor.buffer, tensor.byteOffset, tensor.byteLength));
  return { body: Buffer.concat([json, ...parts]), headerLength: json.length };
}

/** Splits a binary answer into its JSON header and the bytes after it. */
function readBinaryAnswer(body: Buffer, headerLength: number): { header: V2Response; rest: Buffer } {
  return { header: JSON.parse(body.subarray(0, headerLength).toString('utf8')) as V2Response, rest: body.subarray(headerLength) };
}

function float32(bytes: Buffer): Float32Array {
  const copy = new Uint8Array(bytes); // aligned
  return new Float32Array(copy.buffer, 0, copy.length / 4);
}

const binaryParser = (response: request.Response, callback: (error: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => callback(null, Buffer.concat(chunks)));
};

describe('the Open Inference Protocol (KServe V2 REST)', () => {
  let t: TestApp;
  let registry: ModelRegistry;
  let line: Float32Array;
  const lineInput = (data: Float32Array) => ({ name: 'x', shape: [1, 3, 48, 192], datatype: 'FP32', data: Array.from(data) });

  before(async () => {
    t = await startTestApp({ MODELS_DIR, MODELS: 'text-direction,esrgan-slim-x2', TILE_WORKERS: '0', MAX_REQUEST_BYTES: String(2 * 1024 * 1024) });
    await new Promise<void>((resolve) => t.http.listen(0, '127.0.0.1', resolve));
    registry = t.app.get(ModelRegistry);
    line = await lineTensor(registry);
  });
  after(() => t.close());

  it('answers the server metadata, with the binary tensor data extension', async () => {
    const { body } = await request(t.http).get('/v2').expect(200);
    assert.equal(body.name, 'dlserve');
    assert.equal(typeof body.version, 'string');
    assert.ok(body.extensions.includes('binary_tensor_data'));
  });

  it('is live and, with every model warmed up, ready', async () => {
    assert.deepEqual((await request(t.http).get('/v2/health/live').expect(200)).body, { live: true });
    assert.deepEqual((await request(t.http).get('/v2/health/ready').expect(200)).body, { ready: true });
    assert.deepEqual((await request(t.http).get('/v2/models/text-direction/ready').expect(200)).body, { name: 'text-direction', ready: true });
  });

  it('describes text-direction and esrgan-slim-x2 from their sessions, -1 for dynamic dims', async () => {
    const direction = (await request(t.http).get('/v2/models/text-direction').expect(200)).body;
    assert.deepEqual(direction, {
      name: 'text-direction',
      versions: ['1'],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 3, -1, -1] }],
      outputs: [{ name: 'softmax_0.tmp_0', datatype: 'FP32', shape: [-1, 2] }],
    });
    const esrgan = (await request(t.http).get('/v2/models/esrgan-slim-x2/versions/1').expect(200)).body;
    assert.deepEqual(esrgan.inputs, [{ name: 'input', datatype: 'FP32', shape: [1, 3, -1, -1] }]);
    assert.deepEqual(esrgan.outputs, [{ name: 'output', datatype: 'FP32', shape: [1, 3, -1, -1] }]);
  });

  it('infers with JSON tensors: the same class as POST /api/models/text-direction', async () => {
    const { body } = await request(t.http).post(INFER).send({ id: 'line-1', inputs: [lineInput(line)] }).expect(200);
    const answer = body as V2Response;
    assert.equal(answer.model_name, 'text-direction');
    assert.equal(answer.id, 'line-1');
    const [output] = answer.outputs;
    assert.deepEqual([output!.name, output!.datatype, output!.shape], ['softmax_0.tmp_0', 'FP32', [1, 2]]);
    const upright = output!.data![0]! > output!.data![1]! ? 'upright' : 'upside down';

    const file = await request(t.http).post('/api/models/text-direction').attach('the_file', `${MODELS_DIR}/text-direction/line.png`).expect(200);
    const labels = (file.body as ClassificationResponse).files[0]!.labels;
    assert.equal(upright, labels[0]!.label);
    assert.equal(upright, 'upright');
  });

  it('takes nested data too (row-major)', async () => {
    const nested: number[][][][] = [[0, 1, 2].map((c) => Array.from({ length: 48 }, (_, y) => Array.from(line.subarray(c * 48 * 192 + y * 192, c * 48 * 192 + (y + 1) * 192))))];
    const flat = (await request(t.http).post(INFER).send({ inputs: [lineInput(line)] }).expect(200)).body as V2Response;
    const deep = (await request(t.http).post(INFER).send({ inputs: [{ ...lineInput(line), data: nested }] }).expect(200)).body as V2Response;
    assert.deepEqual(deep.outputs[0]!.data, flat.outputs[0]!.data);
  });

  it('binary in, binary out: the same numbers as the JSON answer', async () => {
    const json = (await request(t.http).post(INFER).send({ inputs: [lineInput(line)] }).expect(200)).body as V2Response;
    const { body, headerLength } = binaryBody(
      { inputs: [{ name: 'x', shape: [1, 3, 48, 192], datatype: 'FP32', parameters: { binary_data_size: line.byteLength } }], parameters: { binary_data_output: true } },
      [line],
    );
    const response = await request(t.http)
      .post(INFER)
      .set('Content-Type', 'application/octet-stream')
      .set('Inference-Header-Content-Length', String(headerLength))
      .send(body)
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    assert.equal(response.headers['content-type'], 'application/octet-stream');
    const answerHeader = Number(response.headers['inference-header-content-length']);
    const { header, rest } = readBinaryAnswer(response.body as Buffer, answerHeader);
    assert.equal(header.outputs[0]!.parameters?.binary_data_size, 8);
    assert.equal(header.outputs[0]!.data, undefined);
    assert.equal(rest.length, 8);
    const values = float32(rest);
    for (const [i, value] of json.outputs[0]!.data!.entries()) assert.ok(Math.abs(values[i]! - value) < 1e-6, `${values[i]} vs ${value}`);
  });

  it('binary in, JSON out (per output binary_data: false)', async () => {
    const json = (await request(t.http).post(INFER).send({ inputs: [lineInput(line)] }).expect(200)).body as V2Response;
    const { body, headerLength } = binaryBody(
      {
        inputs: [{ name: 'x', shape: [1, 3, 48, 192], datatype: 'FP32', parameters: { binary_data_size: line.byteLength } }],
        outputs: [{ name: 'softmax_0.tmp_0', parameters: { binary_data: false } }],
        parameters: { binary_data_output: true },
      },
      [line],
    );
    const response = await request(t.http).post(INFER).set('Content-Type', 'application/octet-stream').set('Inference-Header-Content-Length', String(headerLength)).send(body).expect(200);
    assert.match(response.headers['content-type'] ?? '', /application\/json/);
    assert.equal(response.headers['inference-header-content-length'], undefined);
    const answer = response.body as V2Response;
    for (const [i, value] of json.outputs[0]!.data!.entries()) assert.ok(Math.abs(answer.outputs[0]!.data![i]! - value) < 1e-6);
  });

  it('runs a batch of 2 along dim 0, and batches concurrent requests in the model’s scheduler', async () => {
    const upsideDown = await lineTensor(registry, 'line-upside-down.png');
    const two = new Float32Array(line.length * 2);
    two.set(line);
    two.set(upsideDown, line.length);
    const { body } = await request(t.http).post(INFER).send({ inputs: [{ name: 'x', shape: [2, 3, 48, 192], datatype: 'FP32', data: Array.from(two) }] }).expect(200);
    const output = (body as V2Response).outputs[0]!;
    assert.deepEqual(output.shape, [2, 2]);
    const [a0, a1, b0, b1] = output.data!;
    assert.ok(a0! > a1!, 'the first row is upright');
    assert.ok(b1! > b0!, 'the second is upside down');

    const { body: binary, headerLength } = binaryBody({ inputs: [{ name: 'x', shape: [1, 3, 48, 192], datatype: 'FP32', parameters: { binary_data_size: line.byteLength } }] }, [line]);
    // Over HTTP, whether concurrent requests meet in the queue depends on when each arrives: only the answers are checked.
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => request(t.http).post(INFER).set('Inference-Header-Content-Length', String(headerLength)).set('Content-Type', 'application/octet-stream').send(binary).expect(200)),
    );
    for (const answer of answers) assert.ok(Math.abs((answer.body as V2Response).outputs[0]!.data![0]! - a0!) < 1e-5);

    // Twelve units queued at once, while the two workers are busy with the first ones, must share batches.
    const group = registry.ready('text-direction').main;
    const before = group.stats();
    const dataPlane = t.app.get(DataPlane);
    const outputs = await Promise.all(
      Array.from({ length: 12 }, () =>
        dataPlane.inferTensors('text-direction', { [TENSOR_UNIT]: true, inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 3, 48, 192], data: line.slice() }], outputs: ['softmax_0.tmp_0'] }),
      ),
    );
    const after = group.stats();
    assert.equal(after.units - before.units, 12);
    assert.ok(after.batches - before.batches < 12, `12 units queued at once ran in ${after.batches - before.batches} batches`);
    for (const [output] of outputs) assert.ok(Math.abs(Number(output!.data[0]) - a0!) < 1e-5);
  });

  it('runs a 64×64 tensor on esrgan-slim-x2', async () => {
    const input = new Float32Array(3 * 64 * 64).fill(0.5);
    const { body, headerLength } = binaryBody({ inputs: [{ name: 'input', shape: [1, 3, 64, 64], datatype: 'FP32', parameters: { binary_data_size: input.byteLength } }] }, [input]);
    const response = await request(t.http).post('/v2/models/esrgan-slim-x2/infer').set('Inference-Header-Content-Length', String(headerLength)).send(body).expect(200);
    const output = (response.body as V2Response).outputs[0]!;
    assert.deepEqual(output.shape, [1, 3, 128, 128]);
    assert.equal(output.data!.length, 3 * 128 * 128);
  });

  describe('refusals, as { error } with the right status', () => {
    const expectError = async (status: number, pending: request.Test, pattern: RegExp): Promise<void> => {
      const response = await pending.expect(status);
      assert.deepEqual(Object.keys(response.body as object), ['error'], JSON.stringify(response.body));
      assert.match((response.body as { error: string }).error, pattern);
    };
    const binaryHeader = (size: number) => ({ inputs: [{ name: 'x', shape: [1, 3, 48, 192], datatype: 'FP32', parameters: { binary_data_size: size } }] });

    it('400: bad JSON, not an object, no inputs', async () => {
      await expectError(400, request(t.http).post(INFER).set('Content-Type', 'application/json').send('{"inputs": ['), /not valid JSON/);
      await expectError(400, request(t.http).post(INFER).set('Content-Type', 'application/json').send('[1, 2]'), /JSON object/);
      await expectError(400, request(t.http).post(INFER).send({ inputs: [] }), /'inputs'/);
    });

    it('400: wrong shape, size mismatch, unknown input, missing input, wrong datatype, unknown output', async () => {
      await expectError(400, request(t.http).post(INFER).send({ inputs: [{ ...lineInput(line), shape: [1, 4, 48, 192] }] }), /shape \[1, 4, 48, 192\]/);
      await expectError(400, request(t.http).post(INFER).send({ inputs: [{ ...lineInput(line), shape: [1, 3, 48] }] }), /shape/);
      await expectError(400, request(t.http).post(INFER).send({ inputs: [{ ...lineInput(line), data: [1, 2, 3] }] }), /has 3 elements; its shape gives 27648/);
      await expectError(400, request(t.http).post(INFER).send({ inputs: [{ ...lineInput(line), name: 'y' }] }), /no input 'y'/);
      await expectError(400, request(t.http).post('/v2/models/text-direction/infer').send({ inputs: [lineInput(line), lineInput(line)] }), /twice/);
      await expectError(400, request(t.http).post(INFER).send({ inputs: [{ ...lineInput(line), datatype: 'INT64' }] }), /datatype "INT64"; the model takes FP32/);
      await expectError(400, request(t.http).post(INFER).send({ inputs: [{ ...lineInput(line), data: ['a'] }] }), /not one|elements/);
      await expectError(400, request(t.http).post(INFER).send({ inputs: [lineInput(line)], outputs: [{ name: 'logits' }] }), /no output 'logits'/);
    });

    it('400: a missing input (a model with one input: no data)', async () => {
      await expectError(400, request(t.http).post(INFER).send({ inputs: [{ name: 'x', shape: [1, 3, 48, 192], datatype: 'FP32' }] }), /no 'data'/);
    });

    it('400: binary sizes that do not add up', async () => {
      const send = (header: object, tensors: ArrayBufferView[], length?: number) => {
        const { body, headerLength } = binaryBody(header, tensors);
        return request(t.http).post(INFER).set('Content-Type', 'application/octet-stream').set('Inference-Header-Content-Length', String(length ?? headerLength)).send(body);
      };
      await expectError(400, send(binaryHeader(100), [line]), /binary_data_size 100/);
      await expectError(400, send(binaryHeader(line.byteLength), [line.subarray(0, 100)]), /body ends before/);
      await expectError(400, send(binaryHeader(line.byteLength), [line, new Float32Array(2)]), /8 byte\(s\) after/);
      await expectError(400, send(binaryHeader(line.byteLength), [line], 10_000_000), /Inference-Header-Content-Length is 10000000/);
      await expectError(400, send(binaryHeader(line.byteLength), [line], 5), /not valid JSON/);
      await expectError(400, request(t.http).post(INFER).send(binaryHeader(line.byteLength)), /no Inference-Header-Content-Length/);
    });

    it('400, not 500: tensors the graph cannot take (an empty width)', async () => {
      await expectError(400, request(t.http).post(INFER).send({ inputs: [{ name: 'x', shape: [1, 3, 48, 0], datatype: 'FP32', data: [] }] }), /could not run/);
    });

    it('404: unknown model or version, with the V2 body', async () => {
      await expectError(404, request(t.http).get('/v2/models/nope'), /no model 'nope'/);
      await expectError(404, request(t.http).get('/v2/models/nope/ready'), /no model 'nope'/);
      await expectError(404, request(t.http).post('/v2/models/nope/infer').send({ inputs: [] }), /no model 'nope'/);
      await expectError(404, request(t.http).get('/v2/models/text-direction/versions/2'), /no version '2'/);
    });

    it('413 over MAX_REQUEST_BYTES, declared or chunked', async () => {
      const big = Buffer.alloc(3 * 1024 * 1024, 32);
      await expectError(413, request(t.http).post(INFER).set('Content-Type', 'application/json').send(big), /at most 2 MiB/);
      const { port } = t.http.address() as AddressInfo;
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const client = httpRequest({ host: '127.0.0.1', port, path: INFER, method: 'POST', headers: { 'Transfer-Encoding': 'chunked', 'Content-Type': 'application/json' } }, (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
        });
        client.on('error', reject);
        const chunk = Buffer.alloc(256 * 1024, 32);
        let sent = 0;
        const pump = (): void => {
          while (sent < 12) {
            sent++;
            if (!client.write(chunk)) return void client.once('drain', pump);
          }
          client.end();
        };
        pump();
      });
      assert.equal(answer.status, 413);
      assert.match((JSON.parse(answer.body) as { error: string }).error, /sent more/);
    });
  });

  it('counts V2 requests in the metrics by route', async () => {
    await request(t.http).post(INFER).send({ inputs: [lineInput(line)] }).expect(200);
    const metrics = (await request(t.http).get('/api/metrics').expect(200)).text;
    assert.match(metrics, /dlserve_http_requests_total\{method="POST",route="\/v2\/models\/:name\/infer",model="text-direction",status="200"\} \d+/);
  });
});

describe('V2 with API_KEYS', () => {
  let t: TestApp;
  before(async () => (t = await startTestApp({ API_KEYS: 'v2-key' })));
  after(() => t.close());

  it('needs a key on /v2 as on /api, but for the health probes', async () => {
    const refused = await request(t.http).get('/v2').expect(401);
    assert.deepEqual(Object.keys(refused.body as object), ['error']);
    await request(t.http).post('/v2/models/x/infer').send({ inputs: [] }).expect(401);
    await request(t.http).get('/v2').set('Authorization', 'Bearer v2-key').expect(200);
    await request(t.http).get('/v2/models/x').set('X-API-Key', 'v2-key').expect(404);
    await request(t.http).get('/v2/health/live').expect(200);
    await request(t.http).get('/v2/health/ready').expect(200);
  });
});

describe('V2 with a full queue (MAX_QUEUE=1)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ MODELS_DIR, MODELS: 'esrgan-slim-x2', TILE_WORKERS: '0', MAX_QUEUE: '1', RETRY_AFTER_SECONDS: '7' });
    await new Promise<void>((resolve) => t.http.listen(0, '127.0.0.1', resolve));
  });
  after(() => t.close());

  it('refuses a request past MAX_QUEUE with 503, Retry-After and the V2 body, and serves the one in hand', async () => {
    const input = new Float32Array(3 * 384 * 384).fill(0.5);
    const { body, headerLength } = binaryBody({ inputs: [{ name: 'input', shape: [1, 3, 384, 384], datatype: 'FP32', parameters: { binary_data_size: input.byteLength } }] }, [input]);
    const infer = () => request(t.http).post('/v2/models/esrgan-slim-x2/infer').set('Inference-Header-Content-Length', String(headerLength)).set('Content-Type', 'application/octet-stream').send(body);
    const registry = t.app.get(ModelRegistry);
    const first = infer().then((response) => response);
    // Once the first is in hand, the next is refused.
    while (registry.inHand('esrgan-slim-x2') === 0) await new Promise((resolve) => setImmediate(resolve));
    const refused = await infer();
    assert.equal(refused.status, 503);
    assert.equal(refused.headers['retry-after'], '7');
    assert.deepEqual(Object.keys(refused.body as object), ['error']);
    assert.equal((await first).status, 200);
  });
});
