import { DEFAULT_SSIM_TARGET, OUTPUT_FORMATS } from '@dlserve/shared';
import { z } from 'zod';
import { parseRequestOptions } from '../../platform/http/request-options.js';
import type { CompressSettings } from '../../tasks/compression/compressor.js';

const dimension = z.coerce.number().int().min(1).max(65_535);

/** The options of `POST /api/compress`, strict so that a typo is an error rather than ignored. */
const CompressOptionsSchema = z.strictObject({
  format: z.enum(OUTPUT_FORMATS).default('auto'),
  target: z.coerce.number().min(0.5).max(1).default(DEFAULT_SSIM_TARGET),
  maxWidth: dimension.optional(),
  maxHeight: dimension.optional(),
});

/** The options of `POST /api/compress`, as fields or query parameters. */
export function parseCompressOptions(query: unknown, body: unknown): CompressSettings {
  const options = parseRequestOptions(CompressOptionsSchema, query, body, 'format, target, maxWidth and maxHeight');
  const { maxWidth, maxHeight, ...rest } = options;
  return { ...rest, ...(maxWidth && { maxWidth }), ...(maxHeight && { maxHeight }) };
}
