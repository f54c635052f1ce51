import type { ImageToImageResponse } from '@dlserve/shared';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import request from 'supertest';
import { startTestApp, type TestApp } from './app.js';
import { cpuDuring, describeCpu, mainThreadShare } from './cpu-time.js';
import { readPhoto } from './images.js';

const MODELS_DIR = fileURLToPath(new URL('../../../../models/', import.meta.url));

describe('the event loop while a real model runs', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ MODELS_DIR, MODELS: 'esrgan-slim-x2' });
  });
  after(() => t.close());

  it('runs the model on worker threads: the event loop’s thread does a small share of a super-resolution request’s CPU', async (context) => {
    const photo = await sharp(await readPhoto('coffee.png')).extract({ left: 150, top: 50, width: 320, height: 240 }).png().toBuffer();
    // Once first: a cold process compiles the request path (Nest, multer, metrics) as it goes,
    // which is not the model holding the loop.
    await request(t.http).post('/api/models/esrgan-slim-x2').attach('the_file', await sharp(photo).resize(32, 24).png().toBuffer(), 'warm.png').expect(200);
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const { result: response, cpu } = await cpuDuring(request(t.http).post('/api/models/esrgan-slim-x2').attach('the_file', photo, 'coffee.png').then((r) => r));
    delay.disable();
    assert.equal(response.status, 200);
    const file = (response.body as ImageToImageResponse).files[0]!;
    assert.deepEqual([file.width, file.height], [640, 480]);
    // How long the loop was held is a timing, measured by bench:event-loop; this is where the work ran.
    context.diagnostic(`${describeCpu(cpu)}; longest event-loop delay ${(delay.max / 1e6 - 5).toFixed(1)} ms`);
    assert.ok(cpu.process >= 200, `the model ran long enough to measure (${cpu.process} ms of CPU)`);
    assert.ok(mainThreadShare(cpu) < 0.2, `the main thread did too much of the request’s work: ${describeCpu(cpu)}`);
  });
});
