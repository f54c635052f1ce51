/**
 * The floor of any HTTP service on this machine: a bare `node:http` server that reads each request's
 * body and answers a fixed body of a given size, nothing else. What autocannon measures against it
 * is the most requests per second HTTP itself leaves room for, with the load generator on the same
 * cores; a server with real work can only come under it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function startEchoServer(answer: Buffer, contentType = 'application/octet-stream'): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'Content-Type': contentType, 'Content-Length': answer.length });
      response.end(answer);
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
