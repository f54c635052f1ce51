/**
 * The hostile-file corpus, generated here (nothing is checked in): valid images made by sharp and
 * then damaged, hand-written headers that lie about their size, bombs, non-images dressed as
 * images, hostile SVG, and hostile file names. `refused` cases must each be answered 4xx by every
 * upload endpoint; `decodable` ones are damaged or odd but still decode, so they may be answered
 * 200 (as what they decode as), never 5xx.
 */
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';

export interface HostileCase {
  /** What the case is, for the test's output. */
  label: string;
  /** The file name the client sends. */
  name: string;
  /** The MIME type the client claims. */
  mimeType: string;
  data: Buffer;
}

export interface Corpus {
  refused: HostileCase[];
  decodable: HostileCase[];
}

// --- building blocks ---------------------------------------------------------------------------

function noise(width: number, height: number, seed: number): Buffer {
  const pixels = Buffer.alloc(width * height * 3);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < pixels.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    // Smooth gradient plus a little noise: compresses like a photo.
    const x = (i / 3) % width;
    pixels[i] = ((x * 255) / width + (state & 31)) & 255;
  }
  return pixels;
}

function picture(width = 64, height = 48): sharp.Sharp {
  return sharp(noise(width, height, width * 31 + height), { raw: { width, height, channels: 3 } });
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A PNG whose IHDR (with a valid CRC) says width×height, with `idat` as its only image data. */
function handWrittenPng(width: number, height: number, idat: Buffer, colourType = 0): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = colourType;
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', idat), pngChunk('IEND', Buffer.alloc(0))]);
}

/** Rewrites the size in a JPEG's SOF0/SOF2 marker (the rest of the file is left as it was). */
function jpegClaimingSize(jpeg: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(jpeg);
  for (let i = 2; i < out.length - 9; ) {
    if (out[i] !== 0xff) throw new Error('not a marker');
    const marker = out[i + 1]!;
    const length = out.readUInt16BE(i + 2);
    if (marker === 0xc0 || marker === 0xc2) {
      out.writeUInt16BE(height, i + 5);
      out.writeUInt16BE(width, i + 7);
      return out;
    }
    i += 2 + length;
  }
  throw new Error('no SOF marker');
}

/** A JPEG with an EXIF APP1 segment whose Orientation tag is `orientation`, right after SOI. */
function jpegWithOrientation(jpeg: Buffer, orientation: number): Buffer {
  const tiff = Buffer.alloc(8 + 2 + 12 + 4);
  tiff.write('II*\0', 0, 'latin1');
  tiff.writeUInt32LE(8, 4); // IFD0 offset
  tiff.writeUInt16LE(1, 8); // one entry
  tiff.writeUInt16LE(0x0112, 10); // Orientation
  tiff.writeUInt16LE(3, 12); // SHORT
  tiff.writeUInt32LE(1, 14);
  tiff.writeUInt16LE(orientation, 18);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const header = Buffer.from([0xff, 0xe1, 0, 0]);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), header, payload, jpeg.subarray(2)]);
}

/** Flips one bit at each of `positions` (fractions of the length). */
function flipBits(data: Buffer, positions: number[]): Buffer {
  const out = Buffer.from(data);
  for (const [n, at] of positions.entries()) {
    const index = Math.min(out.length - 1, Math.floor(at * out.length));
    out[index]! ^= 1 << (n % 8);
  }
  return out;
}

/** Overwrites `count` bytes from a fraction of the length with 0xff/0x00 garbage. */
function smash(data: Buffer, at: number, count: number): Buffer {
  const out = Buffer.from(data);
  const start = Math.floor(at * out.length);
  for (let i = start; i < Math.min(out.length, start + count); i++) out[i] = i % 2 ? 0xff : 0x00;
  return out;
}

const MIME: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif', avif: 'image/avif', svg: 'image/svg+xml' };

function kase(label: string, extension: string, data: Buffer, name = `${label.replace(/[^a-z0-9]+/gi, '-')}.${extension}`): HostileCase {
  return { label, name, mimeType: MIME[extension] ?? 'image/jpeg', data };
}

// --- the corpus ---------------------------------------------------------------------------------

export async function buildCorpus(): Promise<Corpus> {
  const refused: HostileCase[] = [];
  const decodable: HostileCase[] = [];

  const valid: Record<string, Buffer> = {
    jpg: await picture().jpeg({ quality: 90 }).toBuffer(),
    png: await picture().png().toBuffer(),
    webp: await picture().webp({ quality: 80 }).toBuffer(),
    gif: await picture().gif().toBuffer(),
    avif: await picture().avif({ effort: 0 }).toBuffer(),
  };

  // Truncated: every format, cut at nine points (45 cases).
  for (const [extension, data] of Object.entries(valid)) {
    for (const fraction of [0.05, 0.15, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 0.97]) {
      refused.push(kase(`${extension} truncated at ${Math.round(fraction * 100)}%`, extension, data.subarray(0, Math.floor(data.length * fraction))));
    }
  }

  // Damaged: bit flips and smashed runs of bytes at spread-out places (40 cases). Every PNG chunk
  // has a CRC, so a damaged PNG must be refused. In the other formats a flip can land where no
  // decoder can notice (entropy-coded JPEG data, GIF or WebP pixels): such a file still decodes,
  // as a damaged-looking picture, so those are `decodable` (answered 4xx or 200, never 5xx).
  for (const [extension, data] of Object.entries(valid)) {
    const group = extension === 'png' ? refused : decodable;
    for (const [n, at] of [0.02, 0.1, 0.3, 0.5, 0.7, 0.9].entries()) {
      group.push(kase(`${extension} bit flips near ${Math.round(at * 100)}%`, extension, flipBits(data, [at, at + 0.003, at + 0.007, at + 0.011].slice(0, n + 1))));
    }
    for (const at of [0.05, 0.5]) group.push(kase(`${extension} smashed at ${Math.round(at * 100)}%`, extension, smash(data, at, 24)));
  }

  // Empty and nearly empty (6 cases).
  refused.push(kase('zero bytes', 'jpg', Buffer.alloc(0)));
  refused.push(kase('one byte', 'jpg', Buffer.from([0xff])));
  refused.push(kase('JPEG SOI only', 'jpg', Buffer.from([0xff, 0xd8])));
  refused.push(kase('PNG signature only', 'png', PNG_SIGNATURE));
  refused.push(kase('GIF signature only', 'gif', Buffer.from('GIF89a', 'latin1')));
  refused.push(kase('RIFF WEBP header only', 'webp', Buffer.from('RIFF\x04\x00\x00\x00WEBP', 'latin1')));

  // Headers that lie about the size, with valid CRCs (7 cases).
  const tinyIdat = deflateSync(Buffer.alloc(64));
  refused.push(kase('PNG IHDR claiming 100000x100000', 'png', handWrittenPng(100_000, 100_000, tinyIdat)));
  refused.push(kase('PNG IHDR claiming 10000x10000', 'png', handWrittenPng(10_000, 10_000, tinyIdat)));
  refused.push(kase('PNG IHDR claiming 2^31-1 square', 'png', handWrittenPng(0x7fffffff, 0x7fffffff, tinyIdat)));
  refused.push(kase('PNG IHDR claiming 0x0', 'png', handWrittenPng(0, 0, tinyIdat)));
  refused.push(kase('JPEG SOF claiming 10000x10000 with 64x48 of data', 'jpg', jpegClaimingSize(valid.jpg!, 10_000, 10_000)));
  refused.push(kase('JPEG SOF claiming 65535x65535', 'jpg', jpegClaimingSize(valid.jpg!, 65_535, 65_535)));
  refused.push(kase('JPEG SOF claiming 0x0', 'jpg', jpegClaimingSize(valid.jpg!, 0, 0)));

  // A JPEG whose SOF claims more than its scan holds: libjpeg stops at the early EOI with only a
  // warning and greys the rest, so it decodes; its cost is bounded by the limits like any image
  // of its size (one claiming 10000×10000 is refused above, from the header).
  decodable.push(kase('JPEG SOF claiming 600x600 with 64x48 of data', 'jpg', jpegClaimingSize(valid.jpg!, 600, 600)));

  // Bombs (3 cases): a few kB that decode to 100 MP; the same as 16-bit RGBA; thousands of frames.
  const rows = 10_000;
  const zeroRows = deflateSync(Buffer.alloc(rows * (rows + 1)), { level: 9 }); // filter byte + 10000 zeros a row
  refused.push(kase('PNG zlib bomb 10000x10000 all zero', 'png', handWrittenPng(rows, rows, zeroRows)));
  refused.push(kase('PNG zlib bomb 8000x8000 claimed as RGBA', 'png', handWrittenPng(8000, 8000, zeroRows, 6)));
  const frames = 2000;
  // Black and white frames in turn: cgif merges a frame into the one before when they look alike.
  const strip = Buffer.alloc(4 * 4 * frames * 3);
  for (let i = 0; i < strip.length; i++) strip[i] = Math.floor(i / 48) % 2 ? 255 : 0;
  refused.push(kase(`GIF with ${frames} frames`, 'gif', await sharp(strip, { raw: { width: 4, height: 4 * frames, channels: 3, pageHeight: 4 } }).gif().toBuffer()));

  // Strips and giants within the byte limit (6 cases).
  const make = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#808080' } });
  refused.push(kase('PNG strip 1x20000', 'png', await make(1, 20_000).png().toBuffer()));
  refused.push(kase('PNG strip 20000x1', 'png', await make(20_000, 1).png().toBuffer()));
  refused.push(kase('JPEG strip 1x20000', 'jpg', await make(8, 20_000).resize(1, 20_000, { fit: 'fill' }).jpeg().toBuffer()));
  refused.push(kase('JPEG strip 20000x1', 'jpg', await make(20_000, 8).resize(20_000, 1, { fit: 'fill' }).jpeg().toBuffer()));
  refused.push(kase('PNG 7000x7000 of one colour (49 MP)', 'png', await make(7000, 7000).png({ compressionLevel: 9 }).toBuffer()));
  refused.push(kase('PNG 20000x600 (side over 16384)', 'png', await make(20_000, 600).png({ compressionLevel: 9 }).toBuffer()));

  // SVG: refused whatever it holds (8 cases).
  const svg = (body: string, head = '') => Buffer.from(`${head}<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="64" height="48">${body}</svg>`);
  refused.push(kase('SVG 10000x10000 canvas in 100 bytes', 'svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10000" height="10000"><rect width="10000" height="10000"/></svg>')));
  refused.push(kase('SVG external entity', 'svg', svg('<text y="20">&xxe;</text>', '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')));
  refused.push(kase('SVG billion laughs', 'svg', svg('<text y="20">&l5;</text>', `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY l0 "lol">${[1, 2, 3, 4, 5].map((n) => `<!ENTITY l${n} "${`&l${n - 1};`.repeat(10)}">`).join('')}]>`)));
  refused.push(kase('SVG with script', 'svg', svg('<script>while(true){}</script><rect width="64" height="48"/>')));
  refused.push(kase('SVG with remote image', 'svg', svg('<image href="http://127.0.0.1:9/x.png" width="64" height="48"/>')));
  refused.push(kase('SVG with file image', 'svg', svg('<image xlink:href="file:///etc/hostname" width="64" height="48"/>')));
  refused.push(kase('SVG named .png', 'png', svg('<rect width="64" height="48"/>')));
  refused.push(kase('SVG with gzip header named .svgz', 'svg', Buffer.concat([Buffer.from([0x1f, 0x8b]), svg('')])));

  // Not images, named and typed as images (12 cases).
  const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(120)]);
  const zip = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(26), Buffer.from('photo.jpg')]);
  const notImages: Array<[string, Buffer]> = [
    ['HTML', Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>')],
    ['ZIP', zip],
    ['PDF', Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')],
    ['ELF', elf],
    ['shell script', Buffer.from('#!/bin/sh\nrm -rf /\n')],
    ['JSON', Buffer.from('{"width":64,"height":48}')],
    ['XML', Buffer.from('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>')],
    ['MP4 header', Buffer.concat([Buffer.from('\0\0\0\x18ftypmp42\0\0\0\0mp42isom', 'latin1'), Buffer.alloc(64)])],
    ['WAV header', Buffer.concat([Buffer.from('RIFF\x24\0\0\0WAVEfmt ', 'latin1'), Buffer.alloc(64)])],
    ['gzip', deflateSync(Buffer.alloc(1000))],
    ['random bytes', noise(40, 40, 7)],
    ['UTF-16 text', Buffer.from('\ufeffhello', 'utf16le')],
  ];
  for (const [label, data] of notImages) refused.push(kase(`${label} named .jpg`, 'jpg', data));

  // EXIF orientation values that do not exist (4 cases): libvips reads them as 1, upright.
  for (const orientation of [0, 9, 255, 65535]) decodable.push(kase(`JPEG with EXIF orientation ${orientation}`, 'jpg', jpegWithOrientation(valid.jpg!, orientation)));

  // Hostile file names, each on a damaged file (10 cases): the name must reach no path.
  const names = [
    '../../../../etc/passwd',
    '..\\..\\..\\windows\\win.ini',
    '/etc/shadow',
    'C:\\Windows\\System32\\x.jpg',
    '%2e%2e%2f%2e%2e%2fescape.jpg',
    '..%2f..%2fescape.jpg',
    'nul\u0000byte.jpg',
    `${'a'.repeat(1000)}.jpg`,
    '.hidden.jpg',
    'CON.jpg',
  ];
  for (const name of names) refused.push({ label: `name ${JSON.stringify(name.slice(0, 40))}`, name, mimeType: 'image/jpeg', data: valid.jpg!.subarray(0, 200) });

  // Polyglots: a real image with something else appended, handled as the image it decodes as.
  decodable.push(kase('JPEG with a ZIP appended', 'jpg', Buffer.concat([valid.jpg!, zip])));
  decodable.push(kase('PNG with HTML after IEND', 'png', Buffer.concat([valid.png!, Buffer.from('<html><script>alert(1)</script></html>')])));
  decodable.push(kase('GIF with a JAR appended, named .jar', 'gif', Buffer.concat([valid.gif!, zip]), 'polyglot.jar'));
  decodable.push(kase('valid JPEG named ../../escape.jpg', 'jpg', valid.jpg!, '../../escape.jpg'));
  decodable.push({ label: 'valid PNG sent as text/html named .exe', name: 'run.exe', mimeType: 'text/html', data: valid.png! });

  return { refused, decodable };
}
