import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { ErrorCode } from '@dlserve/shared';
import type { Request, Response } from 'express';
import { AppError } from '../errors/app-error.js';

/** Codes for the framework's own HTTP errors (unknown route, body too large, a library's 503…). */
const CODE_FOR_STATUS: Partial<Record<number, ErrorCode>> = {
  401: 'unauthorized',
  404: 'not_found',
  413: 'file_too_large',
  429: 'rate_limited',
  503: 'unavailable',
};

/** Turns anything thrown into an `AppError`: the one shape every failure is answered with. */
export function toAppError(exception: unknown): AppError {
  if (exception instanceof AppError) return exception;
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code = CODE_FOR_STATUS[status] ?? (status < 500 ? 'bad_request' : undefined);
    if (code) return new AppError(code, exception.message);
  }
  return new AppError('internal_error', 'Something went wrong on the server; the failure was logged.');
}

/** The global filter: every error body is an `ApiError`, and only unexpected failures are logged. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const error = toAppError(exception);
    if (error.code === 'internal_error') {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    sendError(http.getRequest<Request>(), response, error);
  }
}

/**
 * Answers with the error: its status, its body and, for a full queue, `Retry-After`. A request
 * refused before its body was read is answered at once, and the rest of its body is read and
 * thrown away (nginx's lingering close): Node would otherwise close a `Connection: close`
 * client's connection under it while it is still sending, which resets it, often before it has
 * read the answer. The connection then closes when the client closes it, or at the server's
 * keep-alive timeout.
 */
export function sendError(request: Request, response: Response, error: AppError): void {
  if (response.headersSent || response.destroyed) return;
  if (bodyStillComing(request)) {
    response.shouldKeepAlive = true;
    request.resume();
  }
  if (error.retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(error.retryAfterSeconds));
  // Written by hand rather than with res.json(), whose ETag (a SHA-1 of the body) an error does not need.
  const body = JSON.stringify(isOpenInferencePath(request) ? { error: error.message } : error.toBody());
  response.statusCode = error.statusCode;
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.setHeader('Content-Length', Buffer.byteLength(body));
  response.end(body);
}

/** The Open Inference Protocol's routes (`/v2`, `/v2/…`) answer errors as it says: `{ "error": "…" }`. */
export function isOpenInferencePath(request: Request): boolean {
  const url = request.originalUrl ?? request.url ?? '';
  return url === '/v2' || url.startsWith('/v2/') || url.startsWith('/v2?');
}

/** A body was announced (a length or chunks) and has not all been read. */
function bodyStillComing(request: Request): boolean {
  if (request.complete || request.readableEnded || request.destroyed) return false;
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}
