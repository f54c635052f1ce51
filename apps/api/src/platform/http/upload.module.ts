import { Module } from '@nestjs/common';
import { ImagingModule } from '../../infrastructure/imaging/imaging.module.js';
import { FilesUploadInterceptor } from './files-upload.interceptor.js';
import { ParseImagesPipe, ParseVerifiedImagesPipe } from './parse-images.pipe.js';

/** Reading multipart uploads and checking that they are images: shared by every upload endpoint. */
@Module({
  imports: [ImagingModule],
  providers: [FilesUploadInterceptor, ParseImagesPipe, ParseVerifiedImagesPipe],
  exports: [FilesUploadInterceptor, ParseImagesPipe, ParseVerifiedImagesPipe, ImagingModule],
})
export class UploadModule {}
