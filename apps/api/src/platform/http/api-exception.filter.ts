import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { ErrorCode } from '@dlserve/shared';
import type { Response } from 'express';
import { AppError } from '../errors/app-error.js';

/** Codes for the framework's own HTTP errors (unknown route, body too large…). */
const CODE_FOR_STATUS: Partial<Record<number, ErrorCode>> = {
  401: 'unauthorized',
  404: 'not_found',
  413: 'file_too_large',
  429: 'rate_limited',
};

/** Turns anything thrown into an `AppError`: the one shape every failure is answered with. */
export function toAppError(exception: unknown): AppError {
  if (exception instanceof AppError) return exception;
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status < 500) return new AppError(CODE_FOR_STATUS[status] ?? 'bad_request', exception.message);
  }
  return new AppError('internal_error', 'Something went wrong on the server; the failure was logged.');
}

/** The global filter: every error body is an `ApiError`, and only unexpected failures are logged. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const error = toAppError(exception);
    if (error.code === 'internal_error') {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    if (response.headersSent) return;
    if (error.retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(error.retryAfterSeconds));
    response.status(error.statusCode).json(error.toBody());
  }
}
