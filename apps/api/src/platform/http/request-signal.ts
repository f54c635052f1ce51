import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';

const SIGNALS = new WeakMap<Request, AbortSignal>();

/**
 * An `AbortSignal` aborted when the client goes away before its answer is sent: work queued for
 * it is dropped, and running work stops at its next tile or batch. One per request.
 */
export function requestSignal(request: Request, response: Response): AbortSignal {
  const known = SIGNALS.get(request);
  if (known) return known;
  const controller = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) controller.abort(new ClientGoneError());
  });
  SIGNALS.set(request, controller.signal);
  return controller.signal;
}

/** The reason a request's signal was aborted: nobody is waiting for the answer any more. */
export class ClientGoneError extends Error {
  constructor() {
    super('the client closed the connection');
    this.name = 'ClientGoneError';
  }
}

/** `@RequestSignal() signal: AbortSignal` in a controller method (see `requestSignal`). */
export const RequestSignal = createParamDecorator((_: unknown, context: ExecutionContext): AbortSignal => {
  const http = context.switchToHttp();
  return requestSignal(http.getRequest<Request>(), http.getResponse<Response>());
});
