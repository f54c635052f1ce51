import { Body, Controller, HttpCode, Post, Query, UploadedFiles, UseInterceptors } from '@nestjs/common';
import type { CompressResponse } from '@dlserve/shared';
import { FilesUploadInterceptor } from '../../platform/http/files-upload.interceptor.js';
import { ParseImagesPipe, type UploadedImage } from '../../platform/http/parse-images.pipe.js';
import { RequestSignal } from '../../platform/http/request-signal.js';
import { CompressBatchService } from '../../tasks/compression/compression.service.js';
import { CompressAdmission } from './compress-admission.interceptor.js';
import { parseCompressOptions } from './compress-options.js';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiErrors, ApiUpload, UPLOAD_ERRORS } from './openapi.js';

@ApiTags('compress')
@Controller('compress')
export class CompressController {
  constructor(private readonly batch: CompressBatchService) {}

  /** The reference design's algorithm: images in (`the_file`), smallest files at the SSIM target out. */
  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Compress images to the smallest file at a visual-quality (SSIM) target' })
  @ApiUpload('CompressOptions')
  @ApiAnswer(200, 'One result per file, in order.', 'CompressResponse')
  @ApiErrors(...UPLOAD_ERRORS, 'busy', 'timeout')
  @UseInterceptors(CompressAdmission, FilesUploadInterceptor)
  async compress(
    @UploadedFiles(ParseImagesPipe) images: UploadedImage[],
    @Query() query: unknown,
    @Body() body: unknown,
    @RequestSignal() signal: AbortSignal,
  ): Promise<CompressResponse> {
    return this.batch.compressAll(images, parseCompressOptions(query, body), signal);
  }
}
