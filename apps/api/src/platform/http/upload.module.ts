import { Module } from '@nestjs/common';
import { ImagingModule } from '../../infrastructure/imaging/imaging.module.js';
import { FilesUploadInterceptor } from './files-upload.interceptor.js';
import { ParseImagesPipe } from './parse-images.pipe.js';

/** Reading multipart uploads and checking that they are images: shared by every upload endpoint. */
@Module({
  imports: [ImagingModule],
  providers: [FilesUploadInterceptor, ParseImagesPipe],
  exports: [FilesUploadInterceptor, ParseImagesPipe, ImagingModule],
})
export class UploadModule {}
