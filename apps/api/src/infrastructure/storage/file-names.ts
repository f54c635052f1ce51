import { createHash, randomBytes } from 'node:crypto';

const EXTENSION = /^[a-z0-9]{1,8}$/;

/**
 * A new file name: 128 random bits (unguessable, URL-safe) plus the extension of the type that
 * was detected from the file's bytes. The client's file name never reaches the disk.
 */
export function generateFileName(extension: string): string {
  if (!EXTENSION.test(extension)) throw new Error(`Refusing file extension '${extension}'`);
  return `${randomBytes(16).toString('base64url')}.${extension}`;
}

/**
 * The name of the file saved under `key` (a queued job's id and the file's place in its result):
 * the same every time, so that a job run again after its worker died overwrites what the first run
 * saved instead of leaving a second copy. As unguessable as the key; the same shape as a generated name.
 */
export function keyedFileName(key: string, extension: string): string {
  if (!EXTENSION.test(extension)) throw new Error(`Refusing file extension '${extension}'`);
  return `${createHash('sha256').update(key).digest().subarray(0, 16).toString('base64url')}.${extension}`;
}

/** True for names `generateFileName` makes: the only names the stores read or delete. */
export function isGeneratedFileName(name: string): boolean {
  return /^[A-Za-z0-9_-]{22}\.[a-z0-9]{1,8}$/.test(name);
}
