import { Injectable } from '@nestjs/common';
import type { CompressedFile, CompressResponse } from '@dlserve/shared';
import { toAppError } from '../../platform/http/api-exception.filter.js';
import { AssetsStore } from '../../infrastructure/storage/file-store.js';
import type { UploadedImage } from '../../platform/http/parse-images.pipe.js';
import { CompressionPool } from './compression-pool.js';
import type { CompressSettings } from './compressor.js';

/** Compresses a request's images one by one and stores each result in the assets folder. */
@Injectable()
export class CompressBatchService {
  constructor(
    private readonly pool: CompressionPool,
    private readonly assets: AssetsStore,
  ) {}

  /**
   * Each image goes to the compression pool, which takes its bytes. When `signal` aborts (the
   * client went away), the remaining images are dropped and the request fails with its reason.
   */
  async compressAll(images: readonly UploadedImage[], settings: CompressSettings, signal?: AbortSignal): Promise<CompressResponse> {
    // All or nothing: a request that fails or is cancelled leaves none of its results behind.
    const files = await this.assets.writeAll(async (write) => {
      const files: CompressedFile[] = [];
      for (const image of images) {
        const started = performance.now();
        const bytesIn = image.data.length; // before the pool moves the bytes away
        const compressed = await this.pool.compress(image.data, settings, signal).catch((error: unknown) => {
          if (signal?.aborted) throw error;
          const failure = toAppError(error);
          // An unexpected failure goes on as itself, so that the filter logs its cause, not the 500 it becomes.
          throw failure.code === 'internal_error' ? error : failure.forFile(image.name);
        });
        const stored = await write(compressed.extension, compressed.data);
        files.push({
          name: image.name,
          result: this.assets.url(stored),
          format: compressed.format,
          width: compressed.width,
          height: compressed.height,
          bytesIn,
          bytesOut: compressed.data.length,
          ssim: compressed.ssim,
          quality: compressed.quality,
          keptOriginal: compressed.keptOriginal,
          ms: Math.round(performance.now() - started),
        });
      }
      signal?.throwIfAborted();
      return files;
    });
    return { result: files[0]?.result ?? '', files };
  }
}
