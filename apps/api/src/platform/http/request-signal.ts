import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from '../errors/app-error.js';

const SIGNALS = new WeakMap<Request, AbortSignal>();

/**
 * An `AbortSignal` aborted when the client goes away before its answer is sent: work queued for
 * it is dropped, and running work stops at its next tile or batch. One per request. Its reason
 * is the `cancelled` error (499, nginx's code for it), which is not logged as a failure.
 */
export function requestSignal(request: Request, response: Response): AbortSignal {
  const known = SIGNALS.get(request);
  if (known) return known;
  const controller = new AbortController();
  const abort = (): void => {
    if (!response.writableFinished) controller.abort(new AppError('cancelled', 'The client closed the connection before the answer.'));
  };
  // The connection may have closed already, while the upload was being read.
  if (response.destroyed || request.socket.destroyed) abort();
  else response.once('close', abort);
  SIGNALS.set(request, controller.signal);
  return controller.signal;
}

/** `@RequestSignal() signal: AbortSignal` in a controller method (see `requestSignal`). */
export const RequestSignal = createParamDecorator((_: unknown, context: ExecutionContext): AbortSignal => {
  const http = context.switchToHttp();
  return requestSignal(http.getRequest<Request>(), http.getResponse<Response>());
});
