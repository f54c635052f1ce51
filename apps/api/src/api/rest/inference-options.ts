import type { OcrSettings } from '@dlserve/shared';
import { z } from 'zod';
import { parseRequestOptions } from '../../platform/http/request-options.js';
import { OcrSettingsSchema } from '../../serving/repository/model-manifest.js';

const InferenceOptionsSchema = z.strictObject({
  async: z.enum(['1', 'true', '0', 'false']).optional(),
  topK: z.coerce.number().int().min(1).max(100).optional(),
  format: z.enum(['png', 'webp', 'jpeg', 'avif']).default('png'),
  ...OcrSettingsSchema.partial().shape,
});

export interface InferenceSettings {
  /** Answer 202 with a job at once instead of the result when done. */
  async: boolean;
  topK?: number;
  /** Output format of image results: PNG is lossless; the others are encoded at high quality. */
  format: 'png' | 'webp' | 'jpeg' | 'avif';
  /** OCR options given by the request; the model's defaults fill in the rest. */
  ocr: Partial<OcrSettings>;
}

/**
 * Options of `POST /api/models/:name` and `/api/process`, from text fields or query parameters;
 * `Prefer: respond-async` (RFC 7240) asks for a job as `async=1` does.
 */
export function parseInferenceOptions(query: unknown, body: unknown, prefer: string | undefined): InferenceSettings {
  const { async, topK, format, ...ocr } = parseRequestOptions(
    InferenceOptionsSchema,
    query,
    body,
    'async, format, topK and, for OCR, maxSide, detectionThreshold, boxThreshold, unclipRatio and useDirection',
  );
  const wantsAsync = async === '1' || async === 'true' || /\brespond-async\b/i.test(prefer ?? '');
  return { async: wantsAsync, format, ocr, ...(topK !== undefined && { topK }) };
}
