import { request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { cpuDuring, type CpuSplit } from './cpu-time.js';
import { healthLatenciesAt } from './health-probe.js';
import { readPhoto } from './images.js';
import { startServer, type ServerProcess } from './server-process.js';

const MODELS_DIR = fileURLToPath(new URL('../../../../models/', import.meta.url));
const PHOTOS = ['rocket.jpg', 'chelsea.png', 'coffee.png', 'astronaut.png', 'hubble_deep_field.jpg'];
/** How many uploads the slow model's queue holds: the rest of a burst is refused. */
export const BURST_MAX_QUEUE = 4;

/** The real photos a burst cycles through (fixtures/photos, 110–773 KB each). */
export function readBurstPhotos(): Promise<Array<{ name: string; data: Buffer }>> {
  return Promise.all(PHOTOS.map(async (name) => ({ name, data: await readPhoto(name) })));
}

/** The built server a burst meets: one slow model on 2 tile workers, a queue of BURST_MAX_QUEUE, no rate limit. */
export function startSlowModelServer(root: string, model: string): Promise<ServerProcess> {
  return startServer(root, { MODELS_DIR, MODELS: model, MAX_QUEUE: String(BURST_MAX_QUEUE), TILE_WORKERS: '2', RATE_LIMIT_MAX: '0' }, { healthyWithinMs: 60_000 });
}

export interface Outcome {
  status: number | string;
  body: string;
  retryAfter?: string;
}

/** One upload on its own connection, as a separate client would send it: its status, or its socket error. */
export function upload(port: number, path: string, file: Buffer, name: string): Promise<Outcome> {
  const boundary = `dlserve-load-${Math.random().toString(36).slice(2)}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="the_file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return new Promise((resolve) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: 'POST', agent: false, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': body.length } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text, retryAfter: response.headers['retry-after'] }));
        response.on('error', (error: NodeJS.ErrnoException) => resolve({ status: error.code ?? 'error', body: '' }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ status: error.code ?? 'error', body: '' }));
    req.end(body);
  });
}

export interface Burst {
  outcomes: Outcome[];
  /** How many answers had each status (or socket error code). */
  counts: Map<number | string, number>;
  /** `GET /api/health` latencies (ms) from a prober of its own, sorted; every one answered 200. */
  latencies: number[];
  seconds: number;
  /** The server's peak RSS (bytes), sampled every 25 ms. */
  peakRss: number;
  /** The server's CPU during the burst, and its main thread's share of it. */
  cpu: CpuSplit;
}

/**
 * `clients` concurrent uploads to `path` of the server at `server`, each file in turn, while a
 * health prober asks every 20 ms: what the server answered, and what it cost it.
 */
export async function uploadBurst(server: ServerProcess, path: string, files: ReadonlyArray<{ name: string; data: Buffer }>, clients: number): Promise<Burst> {
  const port = Number(new URL(server.url).port);
  let peakRss = await server.rss();
  const sampler = setInterval(() => void server.rss().then((rss) => (peakRss = Math.max(peakRss, rss)), () => undefined), 25);
  const started = performance.now();
  try {
    const work = Promise.all(Array.from({ length: clients }, (_, i) => upload(port, path, files[i % files.length]!.data, files[i % files.length]!.name)));
    const { result: latencies, cpu } = await cpuDuring(healthLatenciesAt(server.url, work, 20), server.child.pid);
    const outcomes = await work;
    const counts = new Map<number | string, number>();
    for (const { status } of outcomes) counts.set(status, (counts.get(status) ?? 0) + 1);
    return { outcomes, counts, latencies, seconds: (performance.now() - started) / 1000, peakRss, cpu };
  } finally {
    clearInterval(sampler);
  }
}
