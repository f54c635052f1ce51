import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../platform/config/app-config.js';
import { Metrics } from '../../platform/metrics/metrics.js';
import { AssetsStore, UploadsStore, type FileStore } from './file-store.js';

/**
 * Keeps the stores from filling the disk: at start-up removes the temporary files a crash left,
 * then every `SWEEP_INTERVAL_SECONDS` removes results and uploads past their TTL
 * (`ASSETS_TTL_SECONDS`, `UPLOADS_TTL_SECONDS`) and, oldest first, whatever takes a store over its
 * cap (`ASSETS_MAX_BYTES`, `UPLOADS_MAX_BYTES`). The timer does not keep the process alive.
 */
@Injectable()
export class StoreSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('StoreSweeper');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly bytes = new Map<string, number>();

  constructor(
    private readonly config: AppConfig,
    private readonly assets: AssetsStore,
    private readonly uploads: UploadsStore,
    metrics: Metrics,
  ) {
    metrics.watchStores(() => [...this.bytes].map(([store, bytes]) => ({ store, bytes })));
  }

  async onApplicationBootstrap(): Promise<void> {
    const left = (await this.assets.removeTemporaries()) + (await this.uploads.removeTemporaries());
    if (left > 0) this.logger.warn(`Removed ${left} temporary files left by an earlier run`);
    await this.sweepNow();
    this.timer = setInterval(() => void this.sweepNow(), this.config.sweepIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One sweep of both stores; a sweep already under way is waited for instead of overlapped. */
  sweepNow(): Promise<void> {
    this.running ??= this.sweepBoth().finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweepBoth(): Promise<void> {
    const { assetsTtlMs, assetsMaxBytes, uploadsTtlMs, uploadsMaxBytes } = this.config;
    await this.sweepOne('assets', this.assets, assetsTtlMs, assetsMaxBytes);
    await this.sweepOne('uploads', this.uploads, uploadsTtlMs, uploadsMaxBytes);
  }

  private async sweepOne(what: string, store: FileStore, ttlMs: number, maxBytes: number): Promise<void> {
    try {
      const { expired, overCap, bytes } = await store.sweep({ ttlMs, maxBytes });
      this.bytes.set(what, bytes);
      if (expired + overCap > 0) this.logger.log(`${what}: removed ${expired} expired, ${overCap} over the size cap`);
    } catch (error) {
      // A failing sweep (a folder made unreadable) must not take the server down; the next one tries again.
      this.logger.error(`Sweeping ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
