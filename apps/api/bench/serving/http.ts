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

function cannon(load: HttpLoad, body: Buffer, seconds: number, sample?: Sample): Promise<void> {
  return new Promise((resolve, reject) => {
    const options = {
      url: load.url,
      method: 'POST' as const,
      headers: { 'content-type': `multipart/form-data; boundary=${load.boundary}` },
      body,
      connections: load.connections,
      duration: seconds,
      timeout: 120,
    };
    const instance = autocannon(options, (error: Error | null, result: autocannon.Result) => {
      if (error) return reject(error);
      if (sample) {
        sample.errors = result.errors;
        // The time autocannon really ran (it stops on a timer, and its clients take a moment to close).
        sample.seconds = result.duration || seconds;
      }
      resolve();
    });
    if (sample) {
      instance.on('response', (_client, statusCode, _bytes, responseTime) => {
        sample.latenciesMs.push(responseTime);
        if (statusCode !== 200) sample.non200++;
      });
    }
  });
}

if (process.argv[1] === SELF && process.argv[2]) {
  const load = JSON.parse(process.argv[2]) as HttpLoad;
  const body = await readFile(load.bodyFile);
  if (load.warmupSeconds > 0) await cannon(load, body, load.warmupSeconds);
  const sample: Sample = { latenciesMs: [], seconds: load.seconds, non200: 0, errors: 0 };
  await cannon(load, body, load.seconds, sample);
  process.stdout.write(JSON.stringify(sample));
}
