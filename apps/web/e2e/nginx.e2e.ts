import type { ApiError, CompressResponse, ImageToImageResponse, JobAccepted } from '@dlserve/shared';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHOTOS_DIR, startStack, type Stack } from './stack';

const MiB = 1024 * 1024;

async function upload(url: string, files: Array<{ name: string; data: Uint8Array }>): Promise<Response> {
  const form = new FormData();
  for (const file of files) form.append('the_file', new Blob([file.data]), file.name);
  return fetch(`${url}/api/compress`, { method: 'POST', body: form });
}

describe('nginx in front of the API (the repository’s nginx.conf)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ maxFileBytes: 1 * MiB, maxFiles: 2, models: 'esrgan-slim-x2' });
  });
  afterAll(() => stack?.stop());

  it('serves the single-page app, with a fallback for its routes and long-cached bundles', async () => {
    const page = await fetch(`${stack.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('<div id="app">');
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');

    const route = await fetch(`${stack.url}/some/client/route`);
    expect(route.status).toBe(200);
    expect(await route.text()).toBe(html);

    const bundle = html.match(/src="(\/static\/[^"]+\.js)"/)?.[1];
    expect(bundle, 'index.html loads a bundle from /static/').toBeDefined();
    const script = await fetch(`${stack.url}${bundle}`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(script.headers.get('cache-control')).toMatch(/immutable/);
  });

  it('proxies /api/compress and serves the result from the assets folder', async () => {
    const photo = await readFile(join(PHOTOS_DIR, 'chelsea.png'));
    const response = await upload(stack.url, [{ name: 'chelsea.png', data: photo }]);
    expect(response.status).toBe(200);
    const body = (await response.json()) as CompressResponse;
    expect(body.result).toMatch(/^\/assets\//);

    const result = await fetch(`${stack.url}${body.result}`);
    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toMatch(/^image\//);
    expect(result.headers.get('cache-control')).toMatch(/max-age=31536000/);
    expect(result.headers.get('x-content-type-options')).toBe('nosniff');
    const bytes = Buffer.from(await result.arrayBuffer());
    expect(bytes.length).toBe(body.files[0]!.bytesOut);
    expect(bytes.equals(await readFile(join(stack.assetsDir, body.result.slice('/assets/'.length))))).toBe(true);
  });

  it('runs a model as a job and streams its progress events through the proxy as they happen', async () => {
    const form = new FormData();
    form.append('the_file', new Blob([await readFile(join(PHOTOS_DIR, 'chelsea.png'))]), 'chelsea.png');
    const accepted = await fetch(`${stack.url}/api/models/esrgan-slim-x2?async=1`, { method: 'POST', body: form });
    expect(accepted.status).toBe(202);
    const job = (await accepted.json()) as JobAccepted;

    const events = await fetch(`${stack.url}${job.events}`);
    expect(events.headers.get('content-type')).toMatch(/text\/event-stream/);
    // Read the stream as it arrives: a buffering proxy would deliver everything at the end.
    const reader = events.body!.getReader();
    const arrivals: Array<{ at: number; text: string }> = [];
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      arrivals.push({ at: performance.now(), text: new TextDecoder().decode(chunk.value) });
    }
    const text = arrivals.map((arrival) => arrival.text).join('');
    expect(text).toMatch(/event: progress/);
    expect(text).toMatch(/event: done/);
    const firstProgress = arrivals.find((arrival) => arrival.text.includes('event: progress'))!;
    const done = arrivals.find((arrival) => arrival.text.includes('event: done'))!;
    expect(done.at - firstProgress.at, 'progress arrived before the end').toBeGreaterThan(50);

    const status = await (await fetch(`${stack.url}${job.status}`)).json();
    const result = status.result as ImageToImageResponse;
    expect([result.files[0]!.width, result.files[0]!.height]).toEqual([902, 600]);
    expect((await fetch(`${stack.url}${result.result}`)).status).toBe(200);
  });

  it('passes the API’s own errors through, and answers nginx’s body limit in the same JSON shape', async () => {
    const notImage = await upload(stack.url, [{ name: 'notes.jpg', data: Buffer.from('just text') }]);
    expect(notImage.status).toBe(415);
    expect(((await notImage.json()) as ApiError).file).toBe('notes.jpg');

    const overFileLimit = await upload(stack.url, [{ name: 'big.jpg', data: Buffer.alloc(1.5 * MiB, 1) }]);
    expect(overFileLimit.status).toBe(413);
    expect(((await overFileLimit.json()) as ApiError).error).toBe('file_too_large');

    // Larger than MAX_FILES × MAX_FILE_BYTES + slack: refused by nginx before the API sees it.
    const overBodyLimit = await upload(stack.url, [{ name: 'huge.jpg', data: Buffer.alloc(4 * MiB, 1) }]);
    expect(overBodyLimit.status).toBe(413);
    const body = (await overBodyLimit.json()) as ApiError;
    expect(body).toMatchObject({ statusCode: 413, error: 'file_too_large' });
  });

  it('proxies the Open Inference Protocol at /v2: metadata, and a binary tensor request answered in binary', async () => {
    const server = await fetch(`${stack.url}/v2`);
    expect(server.status).toBe(200);
    expect(((await server.json()) as { extensions: string[] }).extensions).toContain('binary_tensor_data');
    const metadata = (await (await fetch(`${stack.url}/v2/models/esrgan-slim-x2`)).json()) as { inputs: Array<{ name: string; shape: number[] }> };
    const input = metadata.inputs[0]!;
    expect(input.shape).toEqual([1, 3, -1, -1]);

    const tensor = new Float32Array(3 * 16 * 16).map((_, i) => (i * 37) % 255);
    const header = Buffer.from(
      JSON.stringify({
        inputs: [{ name: input.name, shape: [1, 3, 16, 16], datatype: 'FP32', parameters: { binary_data_size: tensor.byteLength } }],
        parameters: { binary_data_output: true },
      }),
    );
    const response = await fetch(`${stack.url}/v2/models/esrgan-slim-x2/infer`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream', 'Inference-Header-Content-Length': String(header.length) },
      body: Buffer.concat([header, Buffer.from(tensor.buffer)]),
    });
    expect(response.status).toBe(200);
    const answerHeaderLength = Number(response.headers.get('inference-header-content-length'));
    const bytes = Buffer.from(await response.arrayBuffer());
    const answer = JSON.parse(bytes.subarray(0, answerHeaderLength).toString()) as { outputs: Array<{ shape: number[]; parameters: { binary_data_size: number } }> };
    expect(answer.outputs[0]!.shape).toEqual([1, 3, 32, 32]);
    expect(answer.outputs[0]!.parameters.binary_data_size).toBe(3 * 32 * 32 * 4);
    expect(bytes.length).toBe(answerHeaderLength + 3 * 32 * 32 * 4);

    const unknown = await fetch(`${stack.url}/v2/models/no-such-model`);
    expect(unknown.status).toBe(404);
    expect(Object.keys((await unknown.json()) as object)).toEqual(['error']);
  });

  it('keeps serving results from the folder when the API is down, and says the API is unavailable', async () => {
    const photo = await readFile(join(PHOTOS_DIR, 'rocket.jpg'));
    const body = (await (await upload(stack.url, [{ name: 'rocket.jpg', data: photo }])).json()) as CompressResponse;
    await stack.stopApi();

    const result = await fetch(`${stack.url}${body.result}`);
    expect(result.status).toBe(200);
    expect(Buffer.from(await result.arrayBuffer()).length).toBe(body.files[0]!.bytesOut);

    const health = await fetch(`${stack.url}/api/health`);
    expect(health.status).toBe(503);
    expect(((await health.json()) as ApiError).error).toBe('unavailable');

    expect((await fetch(`${stack.url}/assets/.partial-abc`)).status).toBe(404);
  });
});
