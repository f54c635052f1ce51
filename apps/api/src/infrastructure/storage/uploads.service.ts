import { Injectable } from '@nestjs/common';
import type { StoredUpload, UploadsResponse } from '@dlserve/shared';
import { UploadsStore } from './file-store.js';
import type { UploadedImage } from '../../platform/http/parse-images.pipe.js';

/** Keeps uploaded images in the uploads folder under generated names. */
@Injectable()
export class UploadsService {
  constructor(private readonly store: UploadsStore) {}

  async keepAll(images: readonly UploadedImage[]): Promise<UploadsResponse> {
    const uploads = await this.store.writeAll(async (write) => {
      const uploads: StoredUpload[] = [];
      for (const { name, data, info } of images) {
        const id = await write(info.extension, data);
        uploads.push({
          id,
          name,
          bytes: data.length,
          format: info.format,
          mimeType: info.mimeType,
          width: info.width,
          height: info.height,
        });
      }
      return uploads;
    });
    return { uploads };
  }
}
