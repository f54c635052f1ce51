import { Injectable } from '@nestjs/common';
import type { CompressedFile, CompressResponse } from '@dlserve/shared';
import { toAppError } from '../../platform/http/api-exception.filter.js';
import { AssetsStore } from '../../infrastructure/storage/file-store.js';
import type { UploadedImage } from '../../platform/http/parse-images.pipe.js';
import { CompressService, type CompressSettings } from './compressor.js';

/** Compresses a request's images one by one and stores each result in the assets folder. */
@Injectable()
export class CompressBatchService {
  constructor(
    private readonly compressor: CompressService,
    private readonly assets: AssetsStore,
  ) {}

  async compressAll(images: readonly UploadedImage[], settings: CompressSettings): Promise<CompressResponse> {
    // All or nothing: a request that fails leaves none of its results behind.
    const files = await this.assets.writeAll(async (write) => {
      const files: CompressedFile[] = [];
      for (const image of images) {
        const started = performance.now();
        const compressed = await this.compressor.compress(image.data, settings).catch((error: unknown) => {
          throw toAppError(error).forFile(image.name);
        });
        const stored = await write(compressed.extension, compressed.data);
        files.push({
          name: image.name,
          result: this.assets.url(stored),
          format: compressed.format,
          width: compressed.width,
          height: compressed.height,
          bytesIn: image.data.length,
          bytesOut: compressed.data.length,
          ssim: compressed.ssim,
          quality: compressed.quality,
          keptOriginal: compressed.keptOriginal,
          ms: Math.round(performance.now() - started),
        });
      }
      return files;
    });
    return { result: files[0]?.result ?? '', files };
  }
}
