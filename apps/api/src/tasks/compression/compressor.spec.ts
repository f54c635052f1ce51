import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { ImageCodec, type RawImage } from '../../infrastructure/imaging/image-codec.js';
import { CompressService, type CompressSettings, type CompressionResult } from './compressor.js';
import { lumaPlane, ssim } from './ssim.js';

const PHOTOS = new URL('../../../../../../fixtures/photos/', import.meta.url);
const photo = (name: string): Buffer => readFileSync(new URL(name, PHOTOS));

const codec = new ImageCodec();
const service = new CompressService(codec);

const luma = (image: RawImage) => lumaPlane(image.data, image.width, image.height, image.channels);

/** Compresses and checks what every result must satisfy, recomputing the SSIM independently. */
async function compressChecked(input: Buffer, settings: CompressSettings): Promise<CompressionResult> {
  const result = await service.compress(input, settings);
  assert.ok(result.data.length <= input.length, `${result.data.length} > ${input.length} bytes`);
  const decoded = await sharp(result.data).autoOrient().metadata();
  assert.deepEqual([decoded.autoOrient.width, decoded.autoOrient.height], [result.width, result.height]);
  if (!result.keptOriginal) {
    const { image: original } = await codec.decode(input, settings);
    const score = ssim(luma(original), luma(await codec.decodeEncoded(result.data)));
    assert.ok(score >= settings.target, `SSIM ${score} < ${settings.target}`);
    assert.ok(Math.abs(score - result.ssim) < 1e-9);
  }
  return result;
}

describe('CompressService', () => {
  it('compresses photos below their size at the default target', async () => {
    for (const name of ['rocket.jpg', 'chelsea.png']) {
      const input = photo(name);
      const result = await compressChecked(input, { format: 'auto', target: 0.985 });
      assert.equal(result.keptOriginal, false);
      assert.ok(result.data.length < input.length * 0.5, `${name}: ${result.data.length} bytes`);
      assert.ok(result.quality !== null);
    }
  });

  it('honours a forced format', async () => {
    const input = await sharp(photo('coffee.png')).resize(200).png().toBuffer();
    for (const format of ['jpeg', 'webp', 'avif'] as const) {
      const result = await compressChecked(input, { format, target: 0.97 });
      assert.equal(result.format, format);
      assert.equal((await sharp(result.data).metadata()).format, format === 'avif' ? 'heif' : format);
    }
  });

  it('makes a PNG when asked, lossless or palette', async () => {
    const input = await sharp(photo('chelsea.png')).resize(120).png({ compressionLevel: 0 }).toBuffer();
    const result = await compressChecked(input, { format: 'png', target: 0.95 });
    assert.equal(result.format, 'png');
  });

  it('fits inside maxWidth/maxHeight and never enlarges', async () => {
    const input = photo('rocket.jpg');
    const small = await compressChecked(input, { format: 'auto', target: 0.98, maxWidth: 200, maxHeight: 100 });
    assert.deepEqual([small.width, small.height], [150, 100]);
    const tiny = await sharp(input).resize(64).jpeg({ quality: 95 }).toBuffer();
    const same = await compressChecked(tiny, { format: 'webp', target: 0.98, maxWidth: 1000 });
    assert.deepEqual([same.width, same.height], [64, 42]);
  });

  it('keeps alpha for images with alpha', async () => {
    // Top half opaque, bottom half see-through.
    const { data, info } = await sharp(photo('chelsea.png')).resize(160).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    for (let i = 3 + (data.length >> 1); i < data.length; i += 4) data[i] = 60;
    const input = await sharp(data, { raw: { width: info.width, height: info.height, channels: 4 } }).png().toBuffer();
    const result = await compressChecked(input, { format: 'auto', target: 0.98 });
    assert.ok(['webp', 'avif'].includes(result.format), result.format);
    assert.equal((await sharp(result.data).metadata()).hasAlpha, true);
  });

  it('turns an EXIF-rotated photo upright', async () => {
    const upright = await sharp(photo('rocket.jpg')).resize(200).jpeg({ quality: 95 }).toBuffer();
    const stored = await sharp(upright).rotate(-90).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toBuffer();
    const result = await compressChecked(stored, { format: 'auto', target: 0.97 });
    assert.equal(result.keptOriginal, false);
    const meta = await sharp(result.data).metadata();
    assert.deepEqual([meta.width, meta.height, meta.orientation ?? 1], [200, 133, 1]);
    const { image: expected } = await codec.decode(upright);
    assert.ok(ssim(luma(expected), luma(await codec.decodeEncoded(result.data))) > 0.9, 'same way up as the upright photo');
  });

  it('keeps the original, stripped, when nothing beats it', async () => {
    // A tiny palette PNG is smaller than an AVIF container's own headers.
    const tiny = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#336699' } })
      .png({ compressionLevel: 9, palette: true })
      .toBuffer();
    const result = await compressChecked(tiny, { format: 'avif', target: 0.985 });
    assert.equal(result.keptOriginal, true);
    assert.deepEqual([result.format, result.ssim, result.quality], ['png', 1, null]);
  });

  it('keeps the original when the target cannot be reached', async () => {
    const input = await sharp(photo('chelsea.png')).resize(64).jpeg({ quality: 90 }).toBuffer();
    const result = await compressChecked(input, { format: 'jpeg', target: 1 });
    assert.equal(result.keptOriginal, true);
    assert.equal(result.format, 'jpeg');
  });
});
