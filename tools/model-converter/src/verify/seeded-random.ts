/** mulberry32: a tiny seeded PRNG, so generated inputs (verification tensors, the OCR bench set) are the same on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An NHWC image of uniform pseudo-random pixel values in [0, 255). */
export function randomImage(height: number, width: number, channels: number, seed: number): Float32Array {
  const next = seededRandom(seed);
  return Float32Array.from({ length: height * width * channels }, () => next() * 255);
}
