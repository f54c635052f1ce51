import type { Point } from '@dlserve/shared';

/** Below this a line's confidence is shown as doubtful. */
export const LOW_CONFIDENCE = 0.8;

export function isLowConfidence(confidence: number): boolean {
  return !(confidence >= LOW_CONFIDENCE);
}

/** A confidence as a whole percentage, clamped to 0–100 (`0.973` → `97%`). */
export function formatConfidence(confidence: number): string {
  const clamped = Number.isFinite(confidence) ? Math.min(1, Math.max(0, confidence)) : 0;
  return `${Math.round(clamped * 100)}%`;
}

/**
 * A box's corners as the `points` of an SVG `<polygon>`, in the image's pixels. The overlay's
 * `viewBox` is the image's size, so the browser scales the polygons with the picture; nothing here
 * depends on the displayed size.
 */
export function polygonPoints(box: readonly Point[]): string {
  return box.map(([x, y]) => `${round(x)},${round(y)}`).join(' ');
}

/** The `viewBox` of an overlay in the image's pixels. */
export function viewBoxOf(width: number, height: number): string {
  return `0 0 ${Math.max(1, width)} ${Math.max(1, height)}`;
}

/**
 * The language to tag recognised text with, so the browser picks the right CJK glyph forms:
 * kana means Japanese, hangul Korean, other Han characters Chinese (simplified, as the common
 * models read it). `undefined` leaves the page's language.
 */
export function textLanguage(text: string): string | undefined {
  if (/[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(text)) return 'ja';
  if (/\p{Script=Hangul}/u.test(text)) return 'ko';
  if (/\p{Script=Han}/u.test(text)) return 'zh-Hans';
  return undefined;
}

function round(value: number): string {
  // Two decimals is finer than any display; it keeps the markup short.
  return String(Math.round(value * 100) / 100);
}
