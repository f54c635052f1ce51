import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppConfig } from '../../platform/config/app-config.js';
import { generateFileName, isGeneratedFileName } from './file-names.js';

/**
 * A folder of files with generated names. Writes are atomic: the bytes go to a hidden temporary
 * file that is renamed into place once complete, so a half-written file is never visible.
 */
export class FileStore {
  private ready: Promise<void> | undefined;

  constructor(readonly dir: string) {}

  /** Writes `data` under a new name with this extension; returns the name. */
  async write(extension: string, data: Uint8Array): Promise<string> {
    await (this.ready ??= mkdir(this.dir, { recursive: true }).then(() => undefined));
    const name = generateFileName(extension);
    const temporary = join(this.dir, `.partial-${randomBytes(12).toString('hex')}`);
    try {
      const handle = await open(temporary, 'wx');
      try {
        await handle.writeFile(data);
        await handle.datasync();
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
  async writeAll<T>(work: (write: (extension: string, data: Uint8Array) => Promise<string>) => Promise<T>): Promise<T> {
    const written: string[] = [];
    try {
      return await work(async (extension, data) => {
        const name = await this.write(extension, data);
        written.push(name);
        return name;
      });
    } catch (error) {
      await this.remove(written);
      throw error;
    }
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
