import type { ModelManifest } from '@dlserve/shared';

/** A classifier's input size from its manifest: `size` is a square's side, or `{ width, height }`. */
export function classifierInputSize(manifest: ModelManifest): { width: number; height: number } {
  const { size } = manifest.classification!;
  return typeof size === 'number' ? { width: size, height: size } : size;
}
