import { CallHandler, createParamDecorator, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type Observable, tap } from 'rxjs';
import { AppError } from '../../platform/errors/app-error.js';
import { ModelRegistry, type Admission } from '../../serving/lifecycle/model-registry.js';

const ADMISSIONS = new WeakMap<Request, Admission>();

/**
 * Admission for `POST /api/models/:name` (and `/api/process`), placed before the upload is read:
 * an unknown model is a 404, one not ready a 503, and one with `MAX_QUEUE` requests in hand a
 * 503 `busy` with `Retry-After`, all before the body is buffered. The handler gets the admission
 * with `@Admitted()` and hands it to the data plane (which releases it when the work is done);
 * a request that fails before (a bad upload, a bad option) has it released here.
 */
@Injectable()
export class ModelAdmission implements NestInterceptor {
  constructor(private readonly registry: ModelRegistry) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const name = (request.params as Record<string, string | undefined>).name ?? this.registry.defaultModelName();
    if (name === null || name === undefined) throw new AppError('model_unavailable', 'No model is ready to serve /api/process yet.');
    // The metrics count `/api/process` under its model too (it has no `:name` to read it from).
    context.switchToHttp().getResponse<Response>().locals.model = name;
    const admission = this.registry.admit(name);
    ADMISSIONS.set(request, admission);
    // Releasing twice does nothing, so an error after the data plane released it is harmless.
    return next.handle().pipe(tap({ error: () => admission.release() }));
  }
}

/** `@Admitted() admission: Admission`: the request's admission (see `ModelAdmission`). */
export const Admitted = createParamDecorator((_: unknown, context: ExecutionContext): Admission => {
  const request = context.switchToHttp().getRequest<Request>();
  const admission = ADMISSIONS.get(request);
  if (!admission) throw new Error('@Admitted() needs the ModelAdmission interceptor');
  return admission;
});
