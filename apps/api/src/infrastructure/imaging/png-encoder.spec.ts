import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { adler32, encodePng, filterPaeth, PngWriter, type PixelLayout } from './png-encoder.js';

/** Pixels with smooth gradients, edges and noise, so every Paeth predictor gets chosen somewhere. */
function picture({ width, height, channels }: PixelLayout): Uint8Array {
  const data = new Uint8Array(width * height * channels);
  let seed = 7;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        const smooth = (x * (c + 1) + y * 2) & 255;
        data[(y * width + x) * channels + c] = x % 17 < 3 ? seed >>> 24 : smooth;
      }
    }
  }
  return data;
}

/** Decoded by libvips (through sharp), back in the PNG's own channels: grey comes out as RGB. */
async function decoded(png: Buffer): Promise<{ data: Buffer; width: number; height: number; channels: number }> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  const channels = (await sharp(png).metadata()).channels!;
  if (channels === info.channels) return { data, width: info.width, height: info.height, channels };
  // Grey (+ alpha) was expanded to RGB(A): keep the first and, with alpha, the last channel.
  const own = Buffer.alloc(info.width * info.height * channels);
  for (let i = 0; i < info.width * info.height; i++) {
    own[i * channels] = data[i * info.channels]!;
    if (channels === 2) own[i * 2 + 1] = data[i * info.channels + 3]!;
  }
  return { data: own, width: info.width, height: info.height, channels };
}

/** The chunks of a PNG, each checked against its CRC. */
function chunks(png: Buffer): Array<{ type: string; data: Buffer }> {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const found: Array<{ type: string; data: Buffer }> = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    assert.equal(png.readUInt32BE(at + 8 + length), zlib.crc32(png.subarray(at + 4, at + 8 + length)), `${type} CRC`);
    found.push({ type, data });
    at += 12 + length;
  }
  return found;
}

describe('PngWriter', () => {
  for (const layout of [
    { width: 1, height: 1, channels: 3 },
    { width: 97, height: 1, channels: 3 },
    { width: 1, height: 61, channels: 4 },
    { width: 301, height: 203, channels: 3 },
    { width: 64, height: 33, channels: 1 },
    { width: 45, height: 70, channels: 2 },
    { width: 2000, height: 700, channels: 3 }, // many blocks, deflated in parallel
  ] as const) {
    it(`encodes ${layout.width}×${layout.height}×${layout.channels} losslessly`, async () => {
      const data = picture(layout);
      const png = await encodePng({ ...layout, data });
      const image = await decoded(png);
      assert.deepEqual([image.width, image.height, image.channels], [layout.width, layout.height, layout.channels]);
      assert.ok(Buffer.from(data).equals(image.data), 'every byte back');
    });
  }

  it('writes one valid zlib stream: inflating the joined blocks checks their adler-32', async () => {
    const layout = { width: 1500, height: 500, channels: 3 } as const;
    const data = picture(layout);
    const parts = chunks(await encodePng({ ...layout, data }));
    assert.deepEqual(parts.map((part) => part.type), ['IHDR', 'IDAT', 'IEND']);
    const filtered = zlib.inflateSync(parts[1]!.data); // throws on a wrong checksum
    assert.equal(filtered.length, layout.height * (layout.width * 3 + 1));
    for (let y = 0; y < layout.height; y++) assert.equal(filtered[y * (layout.width * 3 + 1)], 4, `row ${y} is Paeth-filtered`);
  });

  it('takes the rows in bands of any size, as a model finishes them', async () => {
    const layout = { width: 333, height: 257, channels: 3 } as const;
    const data = picture(layout);
    const writer = new PngWriter(layout);
    const stride = layout.width * 3;
    for (const [from, to] of [[0, 1], [1, 90], [90, 91], [91, 257]] as const) writer.write(data.subarray(from * stride, to * stride));
    assert.ok((await decoded(await writer.finish())).data.equals(data), 'every byte back');
  });

  it('is smaller than libspng at its fast setting on a photo upscaled ×4', async () => {
    const { data, info } = await sharp(new URL('../../../../../../fixtures/photos/chelsea.png', import.meta.url).pathname)
      .resize(1804, 1200, { kernel: 'cubic' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const layout = { width: info.width, height: info.height, channels: info.channels as 3 };
    const ours = await encodePng({ ...layout, data });
    const theirs = await sharp(data, { raw: layout }).png({ compressionLevel: 4, adaptiveFiltering: true }).toBuffer();
    assert.ok(ours.length < theirs.length * 1.05, `${ours.length} bytes vs libspng's ${theirs.length}`);
    assert.ok((await decoded(ours)).data.equals(data));
  });

  it('reports rows that do not fit: a partial row, too many rows, too few', async () => {
    const layout = { width: 4, height: 3, channels: 3 } as const;
    const partial = new PngWriter(layout);
    partial.write(new Uint8Array(13));
    await assert.rejects(partial.finish(), /not whole rows/);
    const tooMany = new PngWriter(layout);
    tooMany.write(new Uint8Array(4 * 3 * 4));
    await assert.rejects(tooMany.finish(), /not whole rows/);
    const tooFew = new PngWriter(layout);
    tooFew.write(new Uint8Array(4 * 3 * 2));
    await assert.rejects(tooFew.finish(), /only 2 of the image's 3 rows/);
  });

  it('refuses a size that is not a positive integer', () => {
    assert.throws(() => new PngWriter({ width: 0, height: 3, channels: 3 }), /positive integer/);
    assert.throws(() => new PngWriter({ width: 2.5, height: 3, channels: 3 }), /positive integer/);
  });
});

describe('filterPaeth', () => {
  /** The PNG specification's predictor, written plainly. */
  function reference(row: Uint8Array, above: Uint8Array | null, bpp: number): number[] {
    return [...row].map((value, x) => {
      const a = x >= bpp ? row[x - bpp]! : 0;
      const b = above ? above[x]! : 0;
      const c = above && x >= bpp ? above[x - bpp]! : 0;
      const p = a + b - c;
      const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
      const predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      return (value - predicted) & 255;
    });
  }

  it('matches the specification on every kind of neighbourhood, with and without a row above', () => {
    const values = [0, 1, 127, 128, 254, 255, 3, 200];
    for (const bpp of [1, 3, 4]) {
      const row = Uint8Array.from({ length: 24 * bpp }, (_, i) => values[(i * 5) % values.length]!);
      const above = Uint8Array.from({ length: 24 * bpp }, (_, i) => values[(i * 3 + 1) % values.length]!);
      for (const up of [above, null]) {
        const out = new Uint8Array(row.length + 1);
        filterPaeth(row, up, bpp, out, 0);
        assert.equal(out[0], 4);
        assert.deepEqual([...out.subarray(1)], reference(row, up, bpp), `bpp ${bpp}, ${up ? 'with' : 'without'} a row above`);
      }
    }
  });
});

describe('adler32', () => {
  it('gives the known checksum, also when fed in pieces', () => {
    const text = Buffer.from('Wikipedia');
    assert.equal(adler32(text), 0x11e60398);
    assert.equal(adler32(text.subarray(4), adler32(text.subarray(0, 4))), 0x11e60398);
  });

  it('reduces its sums in time on long runs of 255', () => {
    const long = new Uint8Array(100_000).fill(255);
    const expected = zlib.inflateSync(zlib.deflateSync(long)).length; // sanity: zlib round trip
    assert.equal(expected, long.length);
    const stream = zlib.deflateSync(long);
    assert.equal(adler32(long), stream.readUInt32BE(stream.length - 4), 'the same as zlib writes');
  });
});
