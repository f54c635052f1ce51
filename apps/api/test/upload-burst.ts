/**
 * `node upload-burst.js <url> <clients> <nice> <file>...`: POSTs <clients> uploads at once, each on
 * its own connection as a separate client would send it (the files taken in turn, field
 * `the_file`), at scheduling priority <nice>, and prints each answer's status (or socket error
 * code), body and Retry-After as JSON, in order. A process of its own, so that the clients' CPU
 * (200 bodies written at once) is not the test's, and can yield to the server's: on a real
 * deployment the clients are other machines.
 */
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { basename } from 'node:path';
import { setPriority } from 'node:os';

export interface UploadOutcome {
  status: number | string;
  body: string;
  retryAfter?: string;
}

function upload(url: URL, file: Buffer, name: string): Promise<UploadOutcome> {
  const boundary = `dlserve-load-${Math.random().toString(36).slice(2)}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="the_file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return new Promise((resolve) => {
    const req = httpRequest(
      url,
      { method: 'POST', agent: false, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': body.length } },
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

const [url, clients, nice, ...paths] = process.argv.slice(2) as [string, string, string, ...string[]];
setPriority(Number(nice));
const files = await Promise.all(paths.map((path) => readFile(path)));
const outcomes = await Promise.all(
  Array.from({ length: Number(clients) }, (_, i) => upload(new URL(url), files[i % files.length]!, basename(paths[i % paths.length]!))),
);
process.stdout.write(JSON.stringify(outcomes));
