/**
 * Lossless metadata removal for JPEG and PNG: whole segments/chunks are dropped and the
 * compressed pixel data is copied byte for byte, so the image decodes exactly as before and the
 * file can only get smaller. Used when the original is kept because no re-encoding beat it.
 *
 * Each function returns null when the file is not laid out as expected; the caller then keeps the
 * bytes unchanged rather than risk breaking them.
 */

const JPEG = {
  SOI: 0xd8,
  EOI: 0xd9,
  SOS: 0xda,
  APP0: 0xe0,
  APP1: 0xe1,
  APP2: 0xe2,
  APP14: 0xee,
  APP15: 0xef,
  COM: 0xfe,
} as const;

/**
 * Drops APP1..APP15 segments (EXIF, XMP, Photoshop/IPTC, maker notes…) and COM comments. Kept:
 * APP0 (JFIF), an APP2 ICC profile (the pixels mean other colours without it), and APP14 "Adobe"
 * (it says whether 3/4-channel data is YCbCr/YCCK or RGB/CMYK, so dropping it changes the
 * decoded colours). `orientation` other than 1 is written back as a minimal EXIF segment, so a
 * sideways photo still displays upright.
 */
export function stripJpegMetadata(data: Buffer, orientation = 1): Buffer | null {
  if (data.length < 4 || data[0] !== 0xff || data[1] !== JPEG.SOI) return null;
  const parts: Buffer[] = [data.subarray(0, 2)];
  let orientationWritten = orientation === 1;
  let at = 2;
  for (;;) {
    if (at + 1 >= data.length || data[at] !== 0xff) return null;
    while (data[at + 1] === 0xff) at++; // fill bytes before a marker
    const marker = data[at + 1]!;
    if (marker === JPEG.EOI || marker === JPEG.SOS) {
      // Entropy-coded data from here on: copied as is (progressive files interleave more markers).
      if (!orientationWritten) parts.push(exifOrientationSegment(orientation));
      parts.push(data.subarray(at));
      return Buffer.concat(parts);
    }
    if (isStandaloneMarker(marker)) {
      parts.push(data.subarray(at, at + 2));
      at += 2;
      continue;
    }
    if (at + 4 > data.length) return null;
    const end = at + 2 + data.readUInt16BE(at + 2);
    if (end > data.length) return null;
    const segment = data.subarray(at, end);
    if (!orientationWritten && marker !== JPEG.APP0) {
      parts.push(exifOrientationSegment(orientation));
      orientationWritten = true;
    }
    if (keepJpegSegment(marker, segment)) parts.push(segment);
    at = end;
  }
}

function isStandaloneMarker(marker: number): boolean {
  return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);
}

function keepJpegSegment(marker: number, segment: Buffer): boolean {
  const payload = segment.subarray(4);
  if (marker === JPEG.COM) return false;
  if (marker === JPEG.APP2) return startsWith(payload, 'ICC_PROFILE\0');
  if (marker === JPEG.APP14) return startsWith(payload, 'Adobe');
  return marker < JPEG.APP1 || marker > JPEG.APP15;
}

/** APP1 "Exif" with a big-endian TIFF header and one IFD holding only the Orientation tag. */
function exifOrientationSegment(orientation: number): Buffer {
  const payload = Buffer.alloc(6 + 8 + 2 + 12 + 4);
  payload.write('Exif\0\0', 0, 'latin1');
  payload.write('MM\0\x2a', 6, 'latin1');
  payload.writeUInt32BE(8, 10); // IFD0 right after the header
  payload.writeUInt16BE(1, 14); // one entry
  payload.writeUInt16BE(0x0112, 16); // Orientation
  payload.writeUInt16BE(3, 18); // SHORT
  payload.writeUInt32BE(1, 20); // one value
  payload.writeUInt16BE(orientation, 24);
  // Next-IFD offset (0) is already zero.
  const header = Buffer.from([0xff, JPEG.APP1, 0, 0]);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([header, payload]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PNG_METADATA_CHUNKS = new Set(['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME']);

/**
 * Drops text chunks, EXIF and the modification time. Colour chunks (iCCP, sRGB, gAMA, cHRM…) stay.
 * With `keepExif`, eXIf stays: it carries an orientation that still needs applying.
 */
export function stripPngMetadata(data: Buffer, keepExif = false): Buffer | null {
  if (data.length < PNG_SIGNATURE.length || !data.subarray(0, 8).equals(PNG_SIGNATURE)) return null;
  const parts: Buffer[] = [PNG_SIGNATURE];
  let at = PNG_SIGNATURE.length;
  while (at + 12 <= data.length) {
    const end = at + 12 + data.readUInt32BE(at);
    if (end > data.length) return null;
    const type = data.toString('latin1', at + 4, at + 8);
    const drop = PNG_METADATA_CHUNKS.has(type) && !(keepExif && type === 'eXIf');
    if (!drop) parts.push(data.subarray(at, end));
    at = end;
    if (type === 'IEND') return Buffer.concat(parts);
  }
  return null; // no IEND: not a whole PNG
}

function startsWith(bytes: Buffer, prefix: string): boolean {
  return bytes.length >= prefix.length && bytes.toString('latin1', 0, prefix.length) === prefix;
}
