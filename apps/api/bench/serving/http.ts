/**
 * The HTTP runner: autocannon in a process of its own (so that the load generator does not share
 * the server's, nor this process's, event loop), warming up first, then recording every answer's
 * status and latency. `runHttp` starts this file as a child, which prints a `Sample` as JSON.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { Sample } from './stats.js';

export interface HttpLoad {
  url: string;
  /** Path of a file holding the multipart body. */
  bodyFile: string;
  boundary: string;
  connections: number;
  seconds: number;
  warmupSeconds: number;
}

const SELF = fileURLToPath(import.meta.url);
/** The load generator of the cell running now, so that an interrupted run can stop it. */
let current: ReturnType<typeof spawn> | null = null;

export function runHttp(load: HttpLoad): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SELF, JSON.stringify(load)], { stdio: ['ignore', 'pipe', 'inherit'] });
    current = child;
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      current = null;
      if (code === 0) resolve(JSON.parse(out) as Sample);
      else reject(new Error(`the load generator exited with ${code ?? signal}`));
    });
  });
}

export function stopLoad(): void {
  current?.kill('SIGKILL');
}

/**
 * One autocannon run of warm-up plus measurement: only answers that arrive after the warm-up
 * count. One run, not two, because the requests in flight when autocannon stops are abandoned, and
 * the server cancels them (the compressor replaces a worker it stops): the next cell's warm-up
 * absorbs that, not its measurement.
 */
function cannon(load: HttpLoad, body: Buffer): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const sample: Sample = { latenciesMs: [], seconds: load.seconds, non200: 0, errors: 0 };
    const measureFrom = performance.now() + load.warmupSeconds * 1000;
    const options = {
      url: load.url,
      method: 'POST' as const,
      headers: { 'content-type': `multipart/form-data; boundary=${load.boundary}` },
      body,
      connections: load.connections,
      duration: load.warmupSeconds + load.seconds,
      timeout: 120,
    };
    let errors = 0;
    let errorsBefore = 0;
    const warmedUp = setTimeout(() => (errorsBefore = errors), load.warmupSeconds * 1000);
    const instance = autocannon(options, (error: Error | null) => {
      clearTimeout(warmedUp);
      if (error) return reject(error);
      sample.errors = errors - errorsBefore;
      // The time really measured: autocannon stops on a timer, and its clients take a moment to close.
      sample.seconds = (performance.now() - measureFrom) / 1000;
      resolve(sample);
    });
    instance.on('reqError', () => errors++);
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (performance.now() < measureFrom) return;
      sample.latenciesMs.push(responseTime);
      if (statusCode !== 200) sample.non200++;
    });
  });
}

if (process.argv[1] === SELF && process.argv[2]) {
  const load = JSON.parse(process.argv[2]) as HttpLoad;
  const sample = await cannon(load, await readFile(load.bodyFile));
  process.stdout.write(JSON.stringify(sample));
}
