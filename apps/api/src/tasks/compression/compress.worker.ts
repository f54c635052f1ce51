/**
 * A worker thread of the compression pool (see compression-pool.ts): the compression engine on its
 * own, without Nest, one image per task. Its quality search (encodes, decodes, luma planes and
 * SSIM in JavaScript) takes the best part of a second per megapixel, which is why it is not on the
 * main thread.
 */
import type { ErrorCode } from '@dlserve/shared';
import { Piscina } from 'piscina';
import { moved } from '../../serving/runtime/moved.js';
import { ImageCodec, type ImageLimits, limitCodecThreads } from '../../infrastructure/imaging/image-codec.js';
import { lowerThreadPriority } from '../../infrastructure/onnx/thread-priority.js';
import { AppError } from '../../platform/errors/app-error.js';
import { CompressService, type CompressSettings, type CompressionResult } from './compressor.js';

export interface CompressWorkerData {
  /** libvips threads per image operation (see `limitCodecThreads`). */
  codecThreads: number;
  /** The same limits as the upload edge's codec (`MAX_IMAGE_*`). */
  imageLimits: ImageLimits;
}

/** One image to compress. `data` is moved to the worker, not copied. */
export interface CompressTask {
  data: Uint8Array;
  settings: CompressSettings;
}

/**
 * What a task answers. An `AppError` cannot cross the thread boundary as itself (a cloned error
 * keeps only its message), so the expected failures travel as their code and message; anything
 * else is thrown and arrives as a plain Error.
 */
export type CompressReply =
  | { ok: true; result: Omit<CompressionResult, 'data'> & { data: Uint8Array } }
  | { ok: false; error: { code: ErrorCode; message: string } };

const { codecThreads, imageLimits } = Piscina.workerData as CompressWorkerData;
limitCodecThreads(codecThreads);
// The search's JavaScript gives way to the event loop's thread when both want a core (measured
// with bench:event-loop on 2 cores: health p99 19–36 ms with it, 27–43 ms without).
lowerThreadPriority();
const engine = new CompressService(new ImageCodec(imageLimits));

export default async function compress({ data, settings }: CompressTask): Promise<unknown> {
  let result: CompressionResult;
  try {
    result = await engine.compress(Buffer.from(data.buffer, data.byteOffset, data.byteLength), settings);
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: { code: error.code, message: error.message } } satisfies CompressReply;
    throw error;
  }
  // sharp's output is external memory, which postMessage silently clones (copying on the main
  // thread too) instead of moving: one copy here, off the main thread, into memory that moves.
  const owned = new Uint8Array(result.data);
  const reply: CompressReply = { ok: true, result: { ...result, data: owned } };
  return moved(reply, [owned.buffer]);
}
