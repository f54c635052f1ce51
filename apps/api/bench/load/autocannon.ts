/**
 * A load run with autocannon in a process of its own, so that the load generator does not share
 * the server's event loop: `runLoad` starts this file as a child, which prints its result as JSON.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Path of a file holding the request body (bodies are too large for the command line). */
  bodyFile?: string;
  connections: number;
  /** Seconds. */
  duration: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  latency: { p50: number; p90: number; p99: number; max: number };
  requests: number;
  non2xx: number;
  errors: number;
}

const SELF = fileURLToPath(import.meta.url);

export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SELF, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`the load generator exited with ${code}`))));
  });
}

if (process.argv[1] === SELF && process.argv[2]) {
  const options = JSON.parse(process.argv[2]) as LoadOptions;
  const { readFile } = await import('node:fs/promises');
  const body = options.bodyFile ? await readFile(options.bodyFile) : undefined;
  const result = await autocannon({
    url: options.url,
    method: options.method,
    headers: options.headers,
    body,
    connections: options.connections,
    duration: options.duration,
  });
  const summary: LoadResult = {
    requestsPerSecond: result.requests.total / (result.duration || options.duration),
    latency: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  };
  process.stdout.write(JSON.stringify(summary));
}
