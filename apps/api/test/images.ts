import { readFile } from 'node:fs/promises';
import sharp from 'sharp';

/** The public-domain / CC0 photos kept in the repository (see fixtures/photos/README.md). */
export function readPhoto(name: string): Promise<Buffer> {
  return readFile(new URL(`../../../../fixtures/photos/${name}`, import.meta.url));
}

/** A smooth colour gradient with some texture: compresses like a photo, made in a few ms. */
function gradient(width: number, height: number, channels: 3 | 4): Buffer {
  const pixels = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * channels;
      pixels[p] = (x * 255) / width;
      pixels[p + 1] = (y * 255) / height;
      pixels[p + 2] = 128 + 60 * Math.sin(x / 7) * Math.cos(y / 11);
      if (channels === 4) pixels[p + 3] = Math.min(255, Math.hypot(x - width / 2, y - height / 2) * 2);
    }
  }
  return pixels;
}

function image(width: number, height: number, channels: 3 | 4 = 3): sharp.Sharp {
  return sharp(gradient(width, height, channels), { raw: { width, height, channels } });
}

/** One image of every kind the API must read, each as a client would upload it. */
export async function imageKinds(): Promise<Record<string, Buffer>> {
  return {
    'photo.png': await readPhoto('chelsea.png'),
    'photo.jpg': await readPhoto('rocket.jpg'),
    'gradient.jpg': await image(320, 200).jpeg({ quality: 95 }).toBuffer(),
    'alpha.png': await image(160, 120, 4).png().toBuffer(),
    'picture.webp': await image(240, 160).webp({ quality: 95 }).toBuffer(),
    'first-frame.gif': await image(120, 90).gif().toBuffer(),
    'deep.png': await image(160, 100).toColourspace('rgb16').png().toBuffer(),
    'cmyk.jpg': await image(200, 120).toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer(),
    // Stored 300×200 with EXIF orientation 6: displayed rotated, 200 wide and 300 high.
    'rotated.jpg': await image(300, 200).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toBuffer(),
    'grey.png': await image(200, 150).greyscale().png().toBuffer(),
  };
}

/** Raw 8-bit sRGB pixels as displayed (EXIF orientation applied), optionally resized. */
export async function displayedPixels(
  data: Buffer,
  size?: { width: number; height: number },
): Promise<{ pixels: Buffer; width: number; height: number; channels: number }> {
  let pipeline = sharp(data).rotate().toColourspace('srgb');
  if (size) pipeline = pipeline.resize(size.width, size.height, { fit: 'fill' });
  const { data: pixels, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  return { pixels, width: info.width, height: info.height, channels: info.channels };
}
