import type { ImageFormat } from '@dlserve/shared';

import { LOCALE_TAGS, type Locale } from '../i18n/locale';

// Pure formatting for a language: numbers through `Intl` with the UI's locale tag. Sentences that
// wrap these figures (`74% smaller`) are messages (`format.*`), put together by `formatters.ts`.

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const;

function number(value: number, locale: Locale, options: Intl.NumberFormatOptions = {}): string {
  return new Intl.NumberFormat(LOCALE_TAGS[locale], { useGrouping: false, ...options }).format(value);
}

/** Bytes as a short human-readable size, decimal units like file managers show: `1.23 MB`. */
export function formatBytes(bytes: number, locale: Locale = 'en'): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return `${number(0, locale)} B`;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  if (unit === 0) return `${number(Math.round(value), locale)} B`;
  // About three significant digits: 1.23 MB, 12.3 MB, 123 MB.
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${number(Number(value.toFixed(digits)), locale, { maximumFractionDigits: digits })} ${BYTE_UNITS[unit]}`;
}

/** A fraction as a whole percentage: `0.742` → `74%`. */
export function formatPercent(fraction: number, digits = 0, locale: Locale = 'en'): string {
  const value = Number.isFinite(fraction) ? fraction : 0;
  return number(value, locale, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Share of the input saved by the output; negative when the output grew. 0 for an empty input. */
export function savingRatio(bytesIn: number, bytesOut: number): number {
  if (bytesIn <= 0) return 0;
  return 1 - bytesOut / bytesIn;
}

/**
 * The saving as the words need it: `smaller`/`larger` by a whole `percent`, `under1` (shrank by
 * less than 1%) or `same`. `formatters.ts` says it in the UI's language.
 */
export type Saving = { kind: 'smaller' | 'larger'; percent: number } | { kind: 'under1' | 'same' };

export function savingOf(bytesIn: number, bytesOut: number): Saving {
  const ratio = savingRatio(bytesIn, bytesOut);
  const percent = Math.round(Math.abs(ratio) * 100);
  if (percent === 0) return bytesOut === bytesIn || bytesIn <= 0 ? { kind: 'same' } : { kind: 'under1' };
  return { kind: ratio > 0 ? 'smaller' : 'larger', percent };
}

/** SSIM to four decimals; the interesting range is 0.98–1. */
export function formatSsim(ssim: number, locale: Locale = 'en'): string {
  return number(ssim, locale, { minimumFractionDigits: 4, maximumFractionDigits: 4 });
}

/** Units of a duration, as each language writes them (Chinese without spaces: `1分5秒`). */
const DURATION_UNITS: Record<Locale, { ms: string; s: string; min: string; space: string }> = {
  en: { ms: 'ms', s: 's', min: 'min', space: ' ' },
  zh: { ms: '毫秒', s: '秒', min: '分', space: '' },
};

/** A duration in milliseconds: `850 ms`, `1.2 s`, `1 min 5 s` (`850毫秒`, `1.2秒`, `1分5秒`). */
export function formatDuration(ms: number, locale: Locale = 'en'): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const units = DURATION_UNITS[locale];
  const part = (value: number, unit: string, digits = 0) =>
    `${number(value, locale, { maximumFractionDigits: digits })}${units.space}${unit}`;
  if (ms < 1000) return part(Math.round(ms), units.ms);
  const seconds = ms / 1000;
  if (seconds < 60) return part(Number(seconds.toFixed(seconds < 10 ? 1 : 0)), units.s, 1);
  const minutes = Math.floor(seconds / 60);
  return `${part(minutes, units.min)}${units.space}${part(Math.round(seconds - minutes * 60), units.s)}`;
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

/** A format's name as people write it: `WebP`, `JPEG`. */
export function formatName(format: ImageFormat): string {
  return FORMAT_LABELS[format] ?? format.toUpperCase();
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
