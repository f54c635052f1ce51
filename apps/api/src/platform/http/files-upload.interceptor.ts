import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { UPLOAD_FIELD } from '@dlserve/shared';
import type { Request, RequestHandler, Response } from 'express';
import multer, { MulterError } from 'multer';
import type { Observable } from 'rxjs';
import { AppConfig } from '../config/app-config.js';
import { AppError } from '../errors/app-error.js';
import { formatBytes, refuseDeclaredOver, sentTooMuch } from './request-size.js';

/**
 * Reads the multipart body: one or more files in the field `the_file`, kept in memory (so a
 * rejected request leaves nothing on disk), within `MAX_FILE_BYTES` and `MAX_FILES`, and a body
 * declared over `MAX_REQUEST_BYTES` refused before it is read (a body sent without a length is
 * refused as soon as it has sent more). Text fields land in `req.body`. Every multipart failure becomes an
 * `AppError` with the right status.
 */
@Injectable()
export class FilesUploadInterceptor implements NestInterceptor {
  private readonly parse: RequestHandler;

  constructor(private readonly config: AppConfig) {
    this.parse = multer({
      storage: multer.memoryStorage(),
      defParamCharset: 'utf8',
      limits: {
        fileSize: config.maxFileBytes,
        files: config.maxFiles,
        fields: 32,
        fieldSize: 4096,
        parts: config.maxFiles + 32,
      },
    }).array(UPLOAD_FIELD, config.maxFiles);
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    refuseDeclaredOver(request, this.config.maxRequestBytes);
    await new Promise<void>((resolve, reject) => {
      // A body sent without a length (chunked) is counted as it arrives, and refused once it passes the limit.
      let received = 0;
      const count = (chunk: Buffer): void => {
        received += chunk.length;
        if (received <= this.config.maxRequestBytes) return;
        request.off('data', count);
        request.unpipe();
        reject(sentTooMuch(this.config.maxRequestBytes));
      };
      request.on('data', count);
      this.parse(request, http.getResponse<Response>(), (error: unknown) => {
        request.off('data', count);
        if (error) reject(this.explain(error));
        else resolve();
      });
    });
    const files = request.files;
    if (!Array.isArray(files) || files.length === 0) {
      throw new AppError(
        'no_file',
        `No file received: send one or more files as multipart/form-data in the field '${UPLOAD_FIELD}'.`,
      );
    }
    return next.handle();
  }

  private explain(error: unknown): AppError {
    if (!(error instanceof MulterError)) {
      // busboy's own complaints: no boundary, a body cut short, a malformed part.
      const reason = error instanceof Error ? error.message : String(error);
      return new AppError('bad_request', `The multipart body could not be read: ${reason}.`);
    }
    const file = (error as MulterError & { filename?: string }).filename;
    const { maxFileBytes, maxFiles } = this.config;
    switch (error.code) {
      case 'LIMIT_FILE_SIZE':
        return new AppError('file_too_large', `A file may be at most ${formatBytes(maxFileBytes)}.`, file);
      case 'LIMIT_FILE_COUNT':
        return new AppError('too_many_files', `At most ${maxFiles} files per request.`);
      case 'LIMIT_UNEXPECTED_FILE':
        return error.field === UPLOAD_FIELD
          ? new AppError('too_many_files', `At most ${maxFiles} files per request.`)
          : new AppError(
              'unexpected_field',
              `Unexpected file field '${error.field ?? ''}': send files in the field '${UPLOAD_FIELD}'.`,
              file,
            );
      default:
        return new AppError('bad_request', `The multipart body was refused: ${error.message}.`);
    }
  }
}
