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
 * Validation at the edge: every uploaded file must be an image within the limits, judged by its
 * bytes alone (never the extension, the client's MIME type or its name), from its header: no pixel
 * is decoded here, so a few bytes claiming 100000×100000 cost nothing. The one decode is the task's
 * (a damaged body fails there, still a 422). The first bad file fails the whole request with an
 * error that names it, before anything is processed or written.
 */
/** Runs `check` for one file; whatever it throws comes out as an `AppError` naming the file. */
export async function forFile<T>(name: string, check: () => T | Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    throw toAppError(error).forFile(name);
  }
}

@Injectable()
export class ParseImagesPipe implements PipeTransform<Express.Multer.File[], Promise<UploadedImage[]>> {
  constructor(private readonly codec: ImageCodec) {}

  async transform(files: Express.Multer.File[]): Promise<UploadedImage[]> {
    const images: UploadedImage[] = [];
    for (const file of files) {
      const name = file.originalname;
      images.push({ name, data: file.buffer, info: await forFile(name, () => this.codec.inspect(file.buffer)) });
    }
    return images;
  }
}

/**
 * Decodes each image fully once (and throws the pixels away), naming the first damaged one: for
 * files kept for later (uploads, jobs), so that a damaged body is refused now, not when it is used.
 */
export async function verifyImages(codec: ImageCodec, images: readonly UploadedImage[]): Promise<void> {
  for (const image of images) await forFile(image.name, () => codec.verify(image.data));
}

/** `ParseImagesPipe`, then `verifyImages`: for an endpoint that keeps the files. */
@Injectable()
export class ParseVerifiedImagesPipe implements PipeTransform<Express.Multer.File[], Promise<UploadedImage[]>> {
  constructor(
    private readonly parse: ParseImagesPipe,
    private readonly codec: ImageCodec,
  ) {}

  async transform(files: Express.Multer.File[]): Promise<UploadedImage[]> {
    const images = await this.parse.transform(files);
    await verifyImages(this.codec, images);
    return images;
  }
}
