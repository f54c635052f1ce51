import type { ImageFormat } from '@dlserve/shared';

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const;

/** Bytes as a short human-readable size, decimal units like file managers show: `1.23 MB`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return '0 B';
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  // About three significant digits: 1.23 MB, 12.3 MB, 123 MB.
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${stripZeros(value.toFixed(digits))} ${BYTE_UNITS[unit]}`;
}

/** A fraction as a whole percentage: `0.742` → `74%`. */
export function formatPercent(fraction: number, digits = 0): string {
  if (!Number.isFinite(fraction)) return '0%';
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** Share of the input saved by the output; negative when the output grew. 0 for an empty input. */
export function savingRatio(bytesIn: number, bytesOut: number): number {
  if (bytesIn <= 0) return 0;
  return 1 - bytesOut / bytesIn;
}

/** The saving in words: `74% smaller`, `3% larger`, `same size`. */
export function formatSaving(bytesIn: number, bytesOut: number): string {
  const ratio = savingRatio(bytesIn, bytesOut);
  const percent = Math.round(Math.abs(ratio) * 100);
  if (percent === 0) return bytesOut === bytesIn || bytesIn <= 0 ? 'same size' : '<1% smaller';
  return ratio > 0 ? `${percent}% smaller` : `${percent}% larger`;
}

/** SSIM to four decimals; the interesting range is 0.98–1. */
export function formatSsim(ssim: number): string {
  return ssim.toFixed(4);
}

/** A duration in milliseconds: `850 ms`, `1.2 s`, `1 min 5 s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${stripZeros(seconds.toFixed(seconds < 10 ? 1 : 0))} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

export function formatDimensions(width: number, height: number): string {
  return `${width} × ${height}`;
}

const FORMAT_LABELS: Record<ImageFormat, string> = {
  jpeg: 'JPEG',
  webp: 'WebP',
  avif: 'AVIF',
  png: 'PNG',
  gif: 'GIF',
  tiff: 'TIFF',
  heif: 'HEIF',
  svg: 'SVG',
};

/** `WebP · quality 78`, or just `PNG` when there is no encoder quality. */
export function formatFormat(format: ImageFormat, quality: number | null): string {
  const label = FORMAT_LABELS[format] ?? format.toUpperCase();
  return quality === null ? label : `${label} · quality ${quality}`;
}

const EXTENSIONS: Record<ImageFormat, string> = {
  jpeg: 'jpg',
  webp: 'webp',
  avif: 'avif',
  png: 'png',
  gif: 'gif',
  tiff: 'tif',
  heif: 'heic',
  svg: 'svg',
};

/**
 * Download name for a result: the original's base name (plus `suffix`, e.g. `-x4`) with the
 * result's extension.
 */
export function resultFileName(originalName: string, format: ImageFormat, suffix = ''): string {
  const dot = originalName.lastIndexOf('.');
  const base = (dot > 0 ? originalName.slice(0, dot) : originalName).trim() || 'image';
  return `${base}${suffix}.${EXTENSIONS[format] ?? format}`;
}

function stripZeros(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}
