import assert from 'node:assert/strict';
import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import request from 'supertest';
import { startTestApp } from './app.js';
import { readPhoto } from './images.js';
import { StoreSweeper } from '../src/infrastructure/storage/store-sweeper.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('retention of results and uploads', () => {
  it('sweeps the temporaries a crash left at start-up, then expires results and uploads after their TTL: their URLs give 404', async () => {
    const root = join((await import('node:os')).tmpdir(), `dlserve-retention-${process.pid}-${Date.now()}`);
    const [assetsDir, uploadsDir] = [join(root, 'assets'), join(root, 'uploads')];
    await mkdir(assetsDir, { recursive: true });
    await mkdir(uploadsDir, { recursive: true });
    await writeFile(join(assetsDir, '.partial-aaaaaaaaaaaaaaaaaaaaaaaa'), 'half a result');
    await writeFile(join(uploadsDir, '.partial-bbbbbbbbbbbbbbbbbbbbbbbb'), 'half an upload');
    const t = await startTestApp({ ASSETS_DIR: assetsDir, UPLOADS_DIR: uploadsDir, ASSETS_TTL_SECONDS: '2', UPLOADS_TTL_SECONDS: '2', SWEEP_INTERVAL_SECONDS: '1' });
    try {
      assert.deepEqual(await t.filesOnDisk(), { assets: [], uploads: [] }, 'temporaries swept at start-up');
      const photo = await readPhoto('rocket.jpg');
      const compressed = (await request(t.http).post('/api/compress').attach('the_file', photo, 'r.jpg').expect(200)).body as { result: string };
      await request(t.http).post('/api/uploads').attach('the_file', photo, 'r.jpg').expect(201);
      await request(t.http).get(compressed.result).expect(200);
      const onDisk = await t.filesOnDisk();
      assert.deepEqual([onDisk.assets.length, onDisk.uploads.length], [1, 1]);
      // Without anyone asking: the periodic sweep (every second) removes them once 2 s old.
      const deadline = performance.now() + 6000;
      while ((await t.filesOnDisk()).assets.length + (await t.filesOnDisk()).uploads.length > 0) {
        assert.ok(performance.now() < deadline, 'swept within 6 s');
        await sleep(200);
      }
      const gone = await request(t.http).get(compressed.result).expect(404);
      assert.equal((gone.body as { error: string }).error, 'not_found');
    } finally {
      await t.close();
    }
  });

  it('keeps each store under its size cap, oldest first', async () => {
    const t = await startTestApp({ UPLOADS_MAX_BYTES: '250000', SWEEP_INTERVAL_SECONDS: '3600' });
    try {
      const photo = await readPhoto('rocket.jpg');
      assert.ok(photo.length > 84_000 && photo.length < 125_000, `rocket.jpg is ${photo.length} bytes`);
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        const body = (await request(t.http).post('/api/uploads').attach('the_file', photo, `r${i}.jpg`).expect(201)).body as { uploads: Array<{ id: string }> };
        ids.push(body.uploads[0]!.id);
        const when = new Date(Date.now() - (10 - i) * 1000);
        await utimes(join(t.config.uploadsDir, ids[i]!), when, when);
      }
      await t.app.get(StoreSweeper).sweepNow();
      assert.deepEqual((await readdir(t.config.uploadsDir)).sort(), ids.slice(2).sort(), 'the two newest kept, under 250 kB');
    } finally {
      await t.close();
    }
  });
});
