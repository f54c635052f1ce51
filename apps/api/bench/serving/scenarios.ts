/**
 * What each scenario sends: one real image per request, to one model (or the compressor). The
 * super-resolution inputs are small crops of a real photo, so that one request takes well under a
 * second and a cell of a few seconds still holds many requests.
 */
import type { ModelManifest } from '@dlserve/shared';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { maxBatchSize } from './manifest.js';

export const COMPRESS = 'compress';
/** Every shipped model benches; these by default (see DEFAULT_SCENARIOS' note). */
export const DEFAULT_SCENARIOS = ['text-direction', 'ocr', 'esrgan-slim-x2', 'esrgan-medium-x4', COMPRESS] as const;
export const DEFAULT_SCENARIOS_NOTE =
  'Super-resolution: esrgan-slim-x2 and esrgan-medium-x4 only by default (the smallest and a mid-size model, ×2 and ×4); ' +
  'the other three (slim-x4, medium-x2, thick-x4) would add ~1.5 min each to the run. Add them with BENCH_SCENARIOS.';
const SR_CROP = 96;

export interface Scenario {
  name: string;
  /** The model's name, or null for the compressor. */
  model: string | null;
  /** The endpoint under /api. */
  route: string;
  file: { name: string; data: Buffer; contentType: string };
  /** For the report: what one request is. */
  description: string;
  maxBatchSize: number;
}

export interface Sources {
  modelsDir: string;
  photosDir: string;
}

async function manifest(modelsDir: string, name: string): Promise<ModelManifest> {
  return JSON.parse(await readFile(join(modelsDir, name, 'model.json'), 'utf8')) as ModelManifest;
}

/** A centred `size`×`size` PNG cut from a photo. */
async function crop(path: string, size: number): Promise<Buffer> {
  const image = sharp(path);
  const { width = size, height = size } = await image.metadata();
  return image.extract({ left: Math.floor((width - size) / 2), top: Math.floor((height - size) / 2), width: size, height: size }).png().toBuffer();
}

export async function loadScenario(name: string, { modelsDir, photosDir }: Sources): Promise<Scenario> {
  if (name === COMPRESS) {
    const data = await readFile(join(photosDir, 'chelsea.png'));
    return { name, model: null, route: '/api/compress', file: { name: 'chelsea.png', data, contentType: 'image/png' }, description: 'POST /api/compress, fixtures/photos/chelsea.png (451×300 PNG), default target', maxBatchSize: 1 };
  }
  const model = await manifest(modelsDir, name);
  const route = `/api/models/${name}`;
  const base = { name, model: name, route, maxBatchSize: maxBatchSize(model) };
  const batches = base.maxBatchSize > 1 ? `, batches up to ${base.maxBatchSize}` : '';
  switch (model.task) {
    case 'image-to-image': {
      const data = await crop(join(photosDir, 'astronaut.png'), SR_CROP);
      return { ...base, file: { name: 'astronaut-crop.png', data, contentType: 'image/png' }, description: `POST ${route}, a ${SR_CROP}×${SR_CROP} PNG cut from fixtures/photos/astronaut.png${batches}` };
    }
    case 'ocr': {
      const data = await readFile(join(modelsDir, name, 'receipt.png'));
      return { ...base, file: { name: 'receipt.png', data, contentType: 'image/png' }, description: `POST ${route}, models/${name}/receipt.png (420×360)${batches}` };
    }
    case 'image-classification': {
      const example = model.examples?.[0];
      if (!example) throw new Error(`the model '${name}' has no example image to bench with`);
      const data = await readFile(join(modelsDir, name, example));
      const { width, height } = await sharp(data).metadata();
      return { ...base, file: { name: example, data, contentType: 'image/png' }, description: `POST ${route}, models/${name}/${example} (${width}×${height})${batches}` };
    }
    default:
      throw new Error(`no bench scenario for the task '${String(model.task)}' of '${name}'`);
  }
}

/** A multipart/form-data body holding one file in the field the API reads (`the_file`). */
export function multipartBody(boundary: string, file: Scenario['file']): Buffer {
  return Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="the_file"; filename="${file.name}"\r\nContent-Type: ${file.contentType}\r\n\r\n`),
    file.data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
}
