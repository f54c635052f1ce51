import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { AppError } from '../../platform/errors/app-error.js';
import { ImageCodec, encoderSetting } from './image-codec.js';

const PHOTOS = new URL('../../../../../../fixtures/photos/', import.meta.url);
const rocket = readFileSync(new URL('rocket.jpg', PHOTOS)); // 640×427, Adobe RGB profile
const chelsea = readFileSync(new URL('chelsea.png', PHOTOS)); // 451×300

const codec = new ImageCodec();

async function failsWith(data: Buffer, code: string, status: number, check: (data: Buffer) => Promise<unknown> = (bytes) => codec.verify(bytes)): Promise<void> {
  await assert.rejects(check(data), (error: unknown) => {
    assert.ok(error instanceof AppError, String(error));
    assert.equal(error.code, code);
    assert.equal(error.statusCode, status);
    return true;
  });
}

describe('ImageCodec.inspect', () => {
  it('refuses an empty file', () => failsWith(Buffer.alloc(0), 'empty_file', 400));

  it('refuses a text file as not an image, saying what it looks like', async () => {
    await failsWith(Buffer.from('name,size\nphoto.jpg,12\n'), 'not_an_image', 415);
    await assert.rejects(codec.inspect(Buffer.from('hello')), /detected text/);
  });

  it('refuses a truncated JPEG as corrupt', () => failsWith(rocket.subarray(0, rocket.length >> 1), 'corrupt_image', 422));

  it('refuses a truncated PNG as corrupt', () => failsWith(chelsea.subarray(0, chelsea.length >> 1), 'corrupt_image', 422));

  it('reads only the header: a truncated body passes inspect and fails the decode', async () => {
    const truncated = rocket.subarray(0, rocket.length >> 1);
    assert.equal((await codec.inspect(truncated)).width, 640);
    await assert.rejects(codec.decode(truncated), /damaged or incomplete/);
  });

  it('refuses, from the header, an image beyond each limit, naming the limit and the size', async () => {
    const small = new ImageCodec({ maxPixels: 100_000, maxSide: 500, maxAspectRatio: 10, maxFrames: 1 });
    const inspect = (bytes: Buffer) => small.inspect(bytes);
    await failsWith(rocket, 'image_too_large', 413, inspect); // 640×427 = 0.27 MP
    await assert.rejects(small.inspect(rocket), /640×427 pixels \(0\.273 MP\); dlserve accepts at most 0\.1 megapixels/);
    const wide = await sharp({ create: { width: 600, height: 100, channels: 3, background: '#000' } }).png().toBuffer();
    await assert.rejects(small.inspect(wide), /a side may be at most 500 pixels/);
    const strip = await sharp({ create: { width: 440, height: 40, channels: 3, background: '#000' } }).png().toBuffer();
    await failsWith(strip, 'unsupported_image', 422, inspect);
    await assert.rejects(small.inspect(strip), /aspect ratio of 11:1; at most 10:1/);
    const frames = await sharp(Buffer.alloc(8 * 16 * 3).map((_, i) => (Math.floor(i / 192) % 2) * 255), { raw: { width: 8, height: 16, channels: 3, pageHeight: 8 } }).gif().toBuffer();
    await assert.rejects(small.inspect(frames), /2 frames; at most 1/);
  });

  it('refuses SVG, whatever it holds', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');
    await failsWith(svg, 'not_an_image', 415, (bytes) => codec.inspect(bytes));
    await assert.rejects(codec.inspect(svg), /SVG document/);
  });

  it('describes a JPEG', async () => {
    const info = await codec.inspect(rocket);
    assert.deepEqual(info, {
      format: 'jpeg', mimeType: 'image/jpeg', extension: 'jpg',
      width: 640, height: 427, hasAlpha: false, orientation: 1, pages: 1,
    });
  });

  it('reports the displayed size of an EXIF-rotated JPEG', async () => {
    const rotated = await sharp(rocket).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const info = await codec.inspect(rotated);
    assert.equal(info.orientation, 6);
    assert.deepEqual([info.width, info.height], [427, 640]);
  });

  it('reads GIF, WebP and AVIF, with alpha where there is some', async () => {
    const gif = await codec.inspect(await sharp(chelsea).gif().toBuffer());
    assert.equal(gif.format, 'gif');
    const webp = await codec.inspect(await sharp(chelsea).ensureAlpha(0.5).webp().toBuffer());
    assert.deepEqual([webp.format, webp.mimeType, webp.hasAlpha], ['webp', 'image/webp', true]);
    const avif = await codec.inspect(await sharp(chelsea).resize(64).avif({ effort: 0 }).toBuffer());
    assert.deepEqual([avif.format, avif.extension], ['avif', 'avif']);
  });
});

describe('ImageCodec.decode', () => {
  it('turns an EXIF-rotated image upright', async () => {
    // A 2×1 image, left half black, right half white, stored turned by orientation 6 (90° clockwise to display).
    const stored = await sharp(Buffer.from([0, 0, 0, 255, 255, 255]), { raw: { width: 2, height: 1, channels: 3 } })
      .withMetadata({ orientation: 6 })
      .png()
      .toBuffer();
    const { image } = await codec.decode(stored);
    assert.deepEqual([image.width, image.height], [1, 2]);
    assert.deepEqual([...image.data], [0, 0, 0, 255, 255, 255]); // black on top
  });

  it('converts CMYK to 8-bit sRGB', async () => {
    const cmyk = await sharp(rocket).toColourspace('cmyk').jpeg().toBuffer();
    assert.equal((await sharp(cmyk).metadata()).space, 'cmyk');
    const { image } = await codec.decode(cmyk);
    assert.equal(image.channels, 3);
    assert.equal(image.data.length, 640 * 427 * 3);
  });

  it('converts 16-bit PNG to 8 bits', async () => {
    const deep = await sharp(chelsea).toColourspace('rgb16').png().toBuffer();
    assert.equal((await sharp(deep).metadata()).depth, 'ushort');
    const { image } = await codec.decode(deep);
    const { image: shallow } = await codec.decode(chelsea);
    assert.equal(image.data.length, shallow.data.length);
    let worst = 0;
    for (let i = 0; i < image.data.length; i++) worst = Math.max(worst, Math.abs(image.data[i]! - shallow.data[i]!));
    assert.ok(worst <= 1, `worst difference ${worst}`);
  });

  it('expands greyscale to RGB', async () => {
    const grey = await sharp(rocket).greyscale().jpeg().toBuffer();
    const { image } = await codec.decode(grey);
    assert.equal(image.channels, 3);
    assert.equal(image.data[0], image.data[1]);
  });

  it('takes the first frame of an animated GIF', async () => {
    const frames = await sharp(chelsea).resize(40, 30).extend({ bottom: 30, background: '#f00' }).raw().toBuffer();
    const animated = await sharp(frames, { raw: { width: 40, height: 60, channels: 3, pageHeight: 30 } })
      .gif()
      .toBuffer();
    const info = await codec.inspect(animated);
    assert.equal(info.pages, 2);
    const { image } = await codec.decode(animated);
    assert.deepEqual([image.width, image.height], [40, 30]);
  });

  it('keeps alpha only when some pixel is not opaque', async () => {
    const opaque = await sharp(chelsea).ensureAlpha(1).png().toBuffer();
    assert.equal((await codec.decode(opaque)).image.channels, 3);
    const translucent = await sharp(chelsea).ensureAlpha(0.5).png().toBuffer();
    assert.equal((await codec.decode(translucent)).image.channels, 4);
  });

  it('fits inside a box without enlarging', async () => {
    const { image } = await codec.decode(rocket, { maxWidth: 320 });
    assert.deepEqual([image.width, image.height], [320, 214]);
    const { image: same } = await codec.decode(rocket, { maxWidth: 4000, maxHeight: 4000 });
    assert.deepEqual([same.width, same.height], [640, 427]);
  });
});

describe('ImageCodec.encode', () => {
  it('encodes each format and decodes it back to the same size', async () => {
    const { image } = await codec.decode(chelsea, { maxWidth: 100 });
    for (const format of ['jpeg', 'webp', 'avif', 'png'] as const) {
      const data = await codec.encode(image, format, { quality: 70 });
      assert.equal((await sharp(data).metadata()).format, format === 'avif' ? 'heif' : format);
      const back = await codec.decodeEncoded(data);
      assert.deepEqual([back.width, back.height], [image.width, image.height]);
    }
    const lossless = await codec.decodeEncoded(await codec.encode(image, 'png', { quality: null }));
    assert.deepEqual(lossless.data, image.data);
  });
});

describe('ImageCodec.rowEncoder', () => {
  const halves = (image: { data: Buffer; width: number; height: number; channels: number }) => {
    const middle = Math.floor(image.height / 2) * image.width * image.channels;
    return [image.data.subarray(0, middle), image.data.subarray(middle)];
  };

  it('encodes a fast lossless PNG as the rows come, and other formats once they are all in', async () => {
    const { image } = await codec.decode(chelsea, { maxWidth: 120 });
    const layout = { width: image.width, height: image.height, channels: image.channels };
    for (const [format, quality] of [['png', null], ['jpeg', 90], ['webp', 90]] as const) {
      const encoder = codec.rowEncoder(layout, format, { quality, fast: true });
      for (const rows of halves(image)) encoder.write(rows);
      const data = await encoder.finish();
      assert.equal((await sharp(data).metadata()).format, format);
      const back = await codec.decodeEncoded(data);
      assert.deepEqual([back.width, back.height], [image.width, image.height]);
      if (quality === null) assert.deepEqual(back.data, image.data);
    }
  });

  it('fails, at finish, an image that did not get all its rows or got too many', async () => {
    const { image } = await codec.decode(chelsea, { maxWidth: 40 });
    const layout = { width: image.width, height: image.height, channels: image.channels };
    for (const format of ['png', 'jpeg'] as const) {
      const short = codec.rowEncoder(layout, format, { quality: format === 'png' ? null : 80, fast: true });
      short.write(halves(image)[0]!);
      await assert.rejects(short.finish(), /only/);
      const long = codec.rowEncoder(layout, format, { quality: format === 'png' ? null : 80, fast: true });
      long.write(image.data);
      long.write(image.data);
      await assert.rejects(long.finish(), /rows/);
    }
  });
});

describe('encoderSetting', () => {
  it('gives AVIF qualities the same setting exactly when they encode to the same bytes', async () => {
    const { image } = await codec.decode(chelsea, { maxWidth: 48 });
    let previous = await codec.encode(image, 'avif', { quality: 1 });
    for (let quality = 2; quality <= 100; quality++) {
      const data = await codec.encode(image, 'avif', { quality });
      const sameSetting = encoderSetting('avif', quality) === encoderSetting('avif', quality - 1);
      assert.equal(data.equals(previous), sameSetting, `quality ${quality - 1} vs ${quality}`);
      previous = data;
    }
  });

  it('maps AVIF qualities 1–100 onto 63 levels and leaves other formats alone', () => {
    const levels = new Set(Array.from({ length: 100 }, (_, i) => encoderSetting('avif', i + 1)));
    assert.equal(levels.size, 63);
    assert.equal(encoderSetting('jpeg', 66), 66);
  });
});
