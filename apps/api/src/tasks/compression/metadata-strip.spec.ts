import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { stripJpegMetadata, stripPngMetadata } from './metadata-strip.js';

const PHOTOS = new URL('../../../../../../fixtures/photos/', import.meta.url);

async function pixels(data: Buffer, autoOrient = false): Promise<Buffer> {
  return sharp(data, { autoOrient }).raw().toBuffer();
}

async function jpegWithMetadata(): Promise<Buffer> {
  return sharp(readFileSync(new URL('rocket.jpg', PHOTOS)))
    .keepIccProfile()
    .withExif({ IFD0: { Copyright: 'someone', ImageDescription: 'a rocket' } })
    .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>')
    .jpeg()
    .toBuffer();
}

describe('stripJpegMetadata', () => {
  it('drops EXIF and XMP, keeps the ICC profile and the exact pixels', async () => {
    const input = await jpegWithMetadata();
    const before = await sharp(input).metadata();
    assert.ok(before.exif && before.xmp && before.icc);
    const stripped = stripJpegMetadata(input);
    assert.ok(stripped && stripped.length < input.length);
    const after = await sharp(stripped).metadata();
    assert.equal(after.exif, undefined);
    assert.equal(after.xmp, undefined);
    assert.deepEqual(after.icc, before.icc);
    assert.deepEqual(await pixels(stripped), await pixels(input));
  });

  it('keeps a non-upright orientation as a minimal EXIF tag', async () => {
    const input = await sharp(await jpegWithMetadata()).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const stripped = stripJpegMetadata(input, 6);
    assert.ok(stripped && stripped.length <= input.length);
    const after = await sharp(stripped).metadata();
    assert.equal(after.orientation, 6);
    assert.deepEqual(await pixels(stripped, true), await pixels(input, true));
  });

  it('keeps the Adobe segment that says how CMYK is coded', async () => {
    const input = await sharp(readFileSync(new URL('rocket.jpg', PHOTOS))).toColourspace('cmyk').jpeg().toBuffer();
    const stripped = stripJpegMetadata(input);
    assert.ok(stripped);
    assert.deepEqual(await pixels(stripped), await pixels(input));
  });

  it('refuses what is not a JPEG', () => {
    assert.equal(stripJpegMetadata(Buffer.from('not a jpeg')), null);
    assert.equal(stripJpegMetadata(Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff])), null);
  });
});

describe('stripPngMetadata', () => {
  it('drops text chunks and keeps the exact pixels and the ICC profile', async () => {
    const input = readFileSync(new URL('astronaut.png', PHOTOS)); // carries a tEXt comment
    const before = await sharp(input).metadata();
    assert.ok(before.comments?.length);
    const stripped = stripPngMetadata(input);
    assert.ok(stripped && stripped.length < input.length);
    const after = await sharp(stripped).metadata();
    assert.equal(after.comments, undefined);
    assert.deepEqual(after.icc, before.icc);
    assert.deepEqual(await pixels(stripped), await pixels(input));
  });

  it('refuses a PNG cut short', () => {
    const input = readFileSync(new URL('chelsea.png', PHOTOS));
    assert.equal(stripPngMetadata(input.subarray(0, 1000)), null);
    assert.equal(stripPngMetadata(Buffer.from('nope')), null);
  });
});
