import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppConfig } from '../../platform/config/app-config.js';
import { generateFileName, isGeneratedFileName, keyedFileName } from './file-names.js';

/** Writes a file; with `key`, under the name that key always gives (see `keyedFileName`), else under a new one. */
export type WriteFile = (extension: string, data: Uint8Array, key?: string) => Promise<string>;

/** Where a temporary file is written before it is renamed into place. */
const TEMPORARY_PREFIX = '.partial-';

/** What a sweep removed. */
export interface SweepResult {
  expired: number;
  /** Removed, oldest first, to bring the folder under its size cap. */
  overCap: number;
  /** What the store's files add up to afterwards. */
  bytes: number;
}

/**
 * A folder of files with generated names. Writes are atomic: the bytes go to a hidden temporary
 * file in the same folder that is renamed into place once complete, so a half-written file is
 * never visible; temporaries a crash left behind are removed by `removeTemporaries`.
 */
export class FileStore {
  constructor(readonly dir: string) {}

  /**
   * Writes `data` under a new name with this extension, or under `key`'s name (replacing a file
   * of that name, atomically); returns the name. `durable: false` skips the flush to disk, for a
   * file that lives only as long as a request does (a queued request's upload): the rename alone
   * makes it whole to every process that reads it; a crash loses the request anyway.
   */
  async write(extension: string, data: Uint8Array, { key, durable = true }: { key?: string; durable?: boolean } = {}): Promise<string> {
    // Made on every write (a cheap call when it exists): a folder someone removed, or a /tmp
    // cleaner emptied, comes back instead of failing every request after it.
    await mkdir(this.dir, { recursive: true });
    const name = key === undefined ? generateFileName(extension) : keyedFileName(key, extension);
    const temporary = join(this.dir, `${TEMPORARY_PREFIX}${randomBytes(12).toString('hex')}`);
    try {
      const handle = await open(temporary, 'wx');
      try {
        await handle.writeFile(data);
        if (durable) await handle.datasync();
      } finally {
        await handle.close();
      }
      await rename(temporary, join(this.dir, name));
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return name;
  }

  /**
   * Runs `work`, which writes with the `write` it is given: all or nothing, so if `work` fails,
   * every file it wrote is removed before the error goes on.
   */
  async writeAll<T>(work: (write: WriteFile) => Promise<T>): Promise<T> {
    const written: string[] = [];
    try {
      return await work(async (extension, data, key) => {
        const name = await this.write(extension, data, { key });
        written.push(name);
        return name;
      });
    } catch (error) {
      await this.remove(written);
      throw error;
    }
  }

  /** The bytes of a file this store wrote (a queued request's upload, read by the worker node that runs it). */
  async read(name: string): Promise<Buffer> {
    if (!isGeneratedFileName(name)) throw new Error(`Refusing to read '${name}': not a name this store makes`);
    return readFile(join(this.dir, name));
  }

  /**
   * Removes the temporary files of writes that never finished (a crash): at start-up, when none is
   * under way; on a folder other processes write to as well (ROLE=api/worker), only those last
   * touched more than `olderThanMs` ago, so that another node's write in progress is left alone.
   */
  async removeTemporaries({ olderThanMs = 0, now = Date.now() }: { olderThanMs?: number; now?: number } = {}): Promise<number> {
    const names = await this.list();
    const temporaries: string[] = [];
    for (const name of names.filter((name) => name.startsWith(TEMPORARY_PREFIX) && /^\.partial-[0-9a-f]{24}$/.test(name))) {
      const stats = olderThanMs > 0 ? await lstat(join(this.dir, name)).catch(() => null) : null;
      if (olderThanMs === 0 || (stats && now - stats.mtimeMs > olderThanMs)) temporaries.push(name);
    }
    await Promise.all(temporaries.map((name) => rm(join(this.dir, name), { force: true })));
    return temporaries.length;
  }

  /**
   * Removes the store's files written more than `ttlMs` ago (0: none expire), then, while the rest
   * add up to more than `maxBytes` (0: no cap), the oldest. Only generated names are touched.
   */
  async sweep({ ttlMs, maxBytes, now = Date.now() }: { ttlMs: number; maxBytes: number; now?: number }): Promise<SweepResult> {
    const files: Array<{ name: string; bytes: number; written: number }> = [];
    for (const name of (await this.list()).filter(isGeneratedFileName)) {
      // Gone meanwhile (removed by a failed request), or not a plain file: skipped.
      const stats = await lstat(join(this.dir, name)).catch(() => null);
      if (stats?.isFile()) files.push({ name, bytes: stats.size, written: stats.mtimeMs });
    }
    const expired = ttlMs > 0 ? files.filter((file) => now - file.written > ttlMs) : [];
    const kept = files.filter((file) => !expired.includes(file)).sort((a, b) => a.written - b.written);
    let bytes = kept.reduce((sum, file) => sum + file.bytes, 0);
    const overCap: string[] = [];
    while (maxBytes > 0 && bytes > maxBytes && kept.length > 0) {
      const oldest = kept.shift()!;
      overCap.push(oldest.name);
      bytes -= oldest.bytes;
    }
    await this.remove([...expired.map((file) => file.name), ...overCap]);
    return { expired: expired.length, overCap: overCap.length, bytes };
  }

  private async list(): Promise<string[]> {
    return readdir(this.dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
  }

  /** Removes files this store wrote; other names are ignored, so no path can escape the folder. */
  async remove(names: readonly string[]): Promise<void> {
    await Promise.all(
      names.filter(isGeneratedFileName).map((name) => rm(join(this.dir, name), { force: true })),
    );
  }
}

/** Results, served at `/assets/<name>` (by the API, or by nginx in production). */
@Injectable()
export class AssetsStore extends FileStore {
  constructor(config: AppConfig) {
    super(config.assetsDir);
  }

  url(name: string): string {
    return `/assets/${name}`;
  }
}

/** Files kept by `POST /api/uploads`. Not served. */
@Injectable()
export class UploadsStore extends FileStore {
  constructor(config: AppConfig) {
    super(config.uploadsDir);
  }
}
