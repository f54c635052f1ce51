import { MODEL_TASKS, type ModelManifest } from '@dlserve/shared';
import { z } from 'zod';

const location = z.union([
  z.string().min(1),
  z.strictObject({ package: z.string().min(1), path: z.string().min(1) }),
]);
const side = z.number().int().min(8).max(4096);
const triple = z.tuple([z.number(), z.number(), z.number()]);
const tensor = z.strictObject({
  name: z.string().min(1),
  layout: z.enum(['NCHW', 'NHWC']),
  channels: z.enum(['RGB', 'BGR']),
  scale: z.number().positive(),
  mean: triple,
  std: triple.refine((std) => std.every((value) => value !== 0), 'std must not be 0'),
});

/** OCR options, as defaults in a manifest and (partially) in requests. */
export const OcrSettingsSchema = z.strictObject({
  maxSide: z.coerce.number().int().min(32).max(4096),
  detectionThreshold: z.coerce.number().min(0.01).max(0.99),
  boxThreshold: z.coerce.number().min(0.01).max(0.99),
  unclipRatio: z.coerce.number().min(0.5).max(5),
  useDirection: z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1')]),
});

/** A text for people: a plain string (English), or per language with English required. */
const localizedText = z
  .union([z.string().min(1), z.strictObject({ en: z.string().min(1), zh: z.string().min(1).optional() })])
  .transform((text) => (typeof text === 'string' ? { en: text } : text));

/** The schema of `models/<name>/model.json`; its type is `ModelManifest` in the shared contract. */
const ModelManifestSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lowercase letters, digits, dot, dash, underscore'),
    title: localizedText,
    description: localizedText,
    task: z.enum(MODEL_TASKS),
    weights: location,
    input: tensor,
    output: tensor,
    imageToImage: z
      .strictObject({
        scale: z.number().int().min(1).max(16),
        tile: z.number().int().min(16).max(4096),
        overlap: z.number().int().min(0).max(512),
      })
      .refine((tiling) => tiling.overlap * 2 < tiling.tile, 'overlap must be less than half the tile')
      .optional(),
    classification: z
      .strictObject({
        labels: location,
        topK: z.number().int().min(1).max(100),
        size: z.union([side, z.strictObject({ width: side, height: side })]),
        fit: z.enum(['cover', 'contain', 'fill']).optional(),
      })
      .optional(),
    scheduler: z
      .strictObject({
        maxBatchSize: z.number().int().min(1).max(1024).optional(),
        preferredBatchSizes: z.array(z.number().int().min(1).max(1024)).optional(),
        maxQueueDelayMicroseconds: z.number().int().min(0).max(10_000_000).optional(),
        instances: z.number().int().min(1).max(64).optional(),
        requestTimeoutSeconds: z.number().int().min(1).max(86_400).optional(),
      })
      .refine(
        ({ maxBatchSize = 1, preferredBatchSizes = [] }) => preferredBatchSizes.every((size) => size <= maxBatchSize),
        'preferredBatchSizes must not exceed maxBatchSize',
      )
      .optional(),
    limits: z
      .strictObject({
        maxInputMegapixels: z.number().positive().max(1000).optional(),
        maxOutputMegapixels: z.number().positive().max(1000).optional(),
        maxSide: z.number().int().min(1).max(1_000_000).optional(),
        minSide: z.number().int().min(1).max(1_000_000).optional(),
      })
      .refine(({ minSide = 1, maxSide = Infinity }) => minSide <= maxSide, 'minSide must not exceed maxSide')
      .optional(),
    licence: z.strictObject({ name: z.string().min(1), url: z.string().optional(), text: z.string().optional() }),
    source: z.strictObject({ url: z.string().min(1), notes: z.string().optional() }),
    examples: z.array(z.string().regex(/^[^/\\]+$/, 'a file name in the model folder')).optional(),
    ocr: z
      .strictObject({
        recognition: location,
        direction: location,
        dictionary: location,
        recognitionHeight: z.number().int().min(8).max(256),
        defaults: OcrSettingsSchema,
      })
      .optional(),
  })
  .superRefine((manifest, context) => {
    if (manifest.task === 'image-to-image' && !manifest.imageToImage) {
      context.addIssue({ code: 'custom', path: ['imageToImage'], message: 'required for task image-to-image' });
    }
    if (manifest.task === 'image-classification' && !manifest.classification) {
      context.addIssue({ code: 'custom', path: ['classification'], message: 'required for task image-classification' });
    }
    if (manifest.task === 'ocr' && !manifest.ocr) {
      context.addIssue({ code: 'custom', path: ['ocr'], message: 'required for task ocr' });
    }
  }) satisfies z.ZodType<ModelManifest>;

/** Validates a parsed model.json; throws one error listing every problem. */
export function parseModelManifest(json: unknown, folder: string): ModelManifest {
  const parsed = ModelManifestSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new Error(`model.json is invalid: ${problems.join('; ')}`);
  }
  if (parsed.data.name !== folder) {
    throw new Error(`model.json names the model '${parsed.data.name}' but its folder is '${folder}'`);
  }
  return parsed.data;
}
