import type { IncomingMessage } from 'node:http';
import { AppError } from '../errors/app-error.js';
import { refuseDeclaredOver, sentTooMuch } from './request-size.js';

/**
 * Reads a request's whole body into memory of its own (never Node's shared Buffer pool, so that
 * the tensors in it can be moved to a worker), within `maxBytes`: a body declared larger is
 * refused before it is read, one sent without a length (chunked) as soon as it has sent more,
 * with 413 `request_too_large`. The rest of a refused body is drained by `sendError`.
 *
 * `alignAt`: a byte offset in the body that should start on an 8-byte boundary of the memory, so
 * that typed arrays over what follows it are views, not copies (the V2 binary tensors after their
 * JSON header).
 */
export async function readRawBody(request: IncomingMessage, maxBytes: number, alignAt = 0): Promise<Uint8Array> {
  refuseDeclaredOver(request, maxBytes);
  const declared = request.headers['content-length'] === undefined ? null : Number(request.headers['content-length']);
  return new Promise<Uint8Array>((resolve, reject) => {
    // With a declared length, one buffer of that size, filled as the chunks come.
    let body = alignedBytes(declared !== null && Number.isSafeInteger(declared) ? declared : 0, alignAt);
    let received = 0;
    const chunks: Buffer[] = [];
    const done = (): void => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('aborted', onAborted);
    };
    const onData = (chunk: Buffer): void => {
      if (received + chunk.length > maxBytes) {
        done();
        reject(sentTooMuch(maxBytes));
        return;
      }
      // Node's parser never passes more than the declared length.
      if (declared !== null) body.set(chunk, received);
      else chunks.push(chunk);
      received += chunk.length;
    };
    const onEnd = (): void => {
      done();
      if (declared === null) {
        body = alignedBytes(received, alignAt);
        let offset = 0;
        for (const chunk of chunks) {
          body.set(chunk, offset);
          offset += chunk.length;
        }
      }
      resolve(received === body.length ? body : body.subarray(0, received));
    };
    const onError = (error: Error): void => {
      done();
      reject(new AppError('bad_request', `The body could not be read: ${error.message}.`));
    };
    const onAborted = (): void => {
      done();
      reject(new AppError('cancelled', 'The client closed the connection before sending its whole body.'));
    };
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('error', onError);
    request.once('aborted', onAborted);
  });
}

/** `length` zeroed bytes whose byte `alignAt` starts on an 8-byte boundary of their ArrayBuffer. */
export function alignedBytes(length: number, alignAt: number): Uint8Array {
  const pad = (8 - (alignAt % 8)) % 8;
  return pad === 0 ? new Uint8Array(length) : new Uint8Array(new ArrayBuffer(length + pad), pad, length);
}
