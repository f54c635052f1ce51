import { DEFAULT_SSIM_TARGET, OUTPUT_FORMATS } from '@dlserve/shared';
import { z } from 'zod';
import { AppError } from '../common/app-error.js';
import type { CompressSettings } from './compress.service.js';

const dimension = z.coerce.number().int().min(1).max(65_535);

/** The options of `POST /api/compress`, strict so that a typo is an error rather than ignored. */
const CompressOptionsSchema = z.strictObject({
  format: z.enum(OUTPUT_FORMATS).default('auto'),
  target: z.coerce.number().min(0.5).max(1).default(DEFAULT_SSIM_TARGET),
  maxWidth: dimension.optional(),
  maxHeight: dimension.optional(),
});

/**
 * Options come as multipart text fields or query parameters (a field wins over a parameter of the
 * same name). Empty values count as unset, as an HTML form sends an empty number input.
 */
export function parseCompressOptions(query: unknown, body: unknown): CompressSettings {
  const given = Object.fromEntries(
    Object.entries({ ...asRecord(query), ...asRecord(body) }).filter(([, value]) => value !== ''),
  );
  const parsed = CompressOptionsSchema.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const message =
      issue?.code === 'unrecognized_keys'
        ? `Unknown option ${issue.keys.map((key) => `'${key}'`).join(', ')}; the options are format, target, maxWidth and maxHeight.`
        : `Invalid option '${issue?.path.join('.') ?? ''}': ${issue?.message ?? 'not understood'}.`;
    throw new AppError('invalid_option', message);
  }
  const { maxWidth, maxHeight, ...rest } = parsed.data;
  return { ...rest, ...(maxWidth && { maxWidth }), ...(maxHeight && { maxHeight }) };
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
