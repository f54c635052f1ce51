import { Controller, HttpCode, Post, UploadedFiles, UseInterceptors } from '@nestjs/common';
import type { UploadsResponse } from '@dlserve/shared';
import { FilesUploadInterceptor } from '../../platform/http/files-upload.interceptor.js';
import { ParseVerifiedImagesPipe, type UploadedImage } from '../../platform/http/parse-images.pipe.js';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { UploadsService } from '../../infrastructure/storage/uploads.service.js';
import { ApiAnswer, ApiErrors, ApiUpload, UPLOAD_ERRORS } from './openapi.js';

@ApiTags('uploads')
@Controller('uploads')
export class UploadsController {
  constructor(private readonly uploads: UploadsService) {}

  /** The reference design's `/uploads`: keep the files on the server, answer their ids (each decoded once first, so no damaged file is kept). */
  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Keep images on the server (the reference design\'s /uploads)' })
  @ApiUpload()
  @ApiAnswer(201, 'The stored files, each with its generated id.', 'UploadsResponse')
  @ApiErrors(...UPLOAD_ERRORS)
  @UseInterceptors(FilesUploadInterceptor)
  async keep(@UploadedFiles(ParseVerifiedImagesPipe) images: UploadedImage[]): Promise<UploadsResponse> {
    return this.uploads.keepAll(images);
  }
}
