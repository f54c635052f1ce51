import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { finalize, type Observable } from 'rxjs';
import { CompressionPool } from '../../tasks/compression/compression-pool.js';

/**
 * Admission for `POST /api/compress`, placed before the upload is read: a request past
 * `COMPRESS_MAX_QUEUE` is answered 503 `busy` (with Retry-After) before its body is buffered or decoded. An admitted
 * request counts until its handling ends, answered, failed or cancelled.
 */
@Injectable()
export class CompressAdmission implements NestInterceptor {
  constructor(private readonly pool: CompressionPool) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const release = this.pool.admit();
    return next.handle().pipe(finalize(release));
  }
}
