import { Injectable, PipeTransform } from '@nestjs/common';
import { toAppError } from './api-exception.filter.js';
import { ImageCodec, type ImageInfo } from '../../infrastructure/imaging/image-codec.js';

/** An uploaded file whose bytes decoded as an image. */
export interface UploadedImage {
  /** The client's file name: for display and error messages only. */
  name: string;
  data: Buffer;
  info: ImageInfo;
}

/**
 * Validation at the edge: every uploaded file must decode as an image, judged by its bytes alone
 * (never the extension, the client's MIME type or its name). The first bad file fails the whole
 * request with an error that names it, before anything is processed or written.
 */
@Injectable()
export class ParseImagesPipe implements PipeTransform<Express.Multer.File[], Promise<UploadedImage[]>> {
  constructor(private readonly codec: ImageCodec) {}

  async transform(files: Express.Multer.File[]): Promise<UploadedImage[]> {
    const images: UploadedImage[] = [];
    // One at a time: a full decode of each file is the check, and memory stays bounded.
    for (const file of files) {
      const name = file.originalname;
      try {
        images.push({ name, data: file.buffer, info: await this.codec.inspect(file.buffer) });
      } catch (error) {
        throw toAppError(error).forFile(name);
      }
    }
    return images;
  }
}
