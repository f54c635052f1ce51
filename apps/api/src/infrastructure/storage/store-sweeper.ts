import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../platform/config/app-config.js';
import { Metrics } from '../../platform/metrics/metrics.js';
import { AssetsStore, UploadsStore, type FileStore } from './file-store.js';

/** On a folder shared by several processes, a temporary file this old is a crashed write's, not one in progress. */
const SHARED_TEMPORARY_AGE_MS = 10 * 60_000;

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
    await this.removeTemporaries();
    await this.sweepNow();
    this.timer = setInterval(() => void this.sweepNow(), this.config.sweepIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /**
   * The temporary files of writes a crash interrupted. With ROLE=all the folders are this process's
   * own, so at start-up all of them; on api and worker nodes they are shared (other nodes write there
   * now), so only old ones, and at every sweep, as no start-up is the whole service's.
   */
  private async removeTemporaries(): Promise<void> {
    const olderThanMs = this.shared ? SHARED_TEMPORARY_AGE_MS : 0;
    const left = (await this.assets.removeTemporaries({ olderThanMs })) + (await this.uploads.removeTemporaries({ olderThanMs }));
    if (left > 0) this.logger.warn(`Removed ${left} temporary files left by an interrupted write`);
  }

  private get shared(): boolean {
    return this.config.role !== 'all';
  }

  /** One sweep of both stores; a sweep already under way is waited for instead of overlapped. */
  sweepNow(): Promise<void> {
    this.running ??= this.sweepBoth().finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweepBoth(): Promise<void> {
    if (this.shared) await this.removeTemporaries().catch((error: Error) => this.logger.error(`Removing temporaries failed: ${error.message}`));
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
