import type { OcrSettings } from '@dlserve/shared';
import type { OcrRequestOptions } from '../../shared/api/models';
import { usePersistedOptions } from '../../shared/composables/use-persisted-options';

/** What the OCR options form edits. */
export type OcrFormValue = Pick<OcrSettings, 'maxSide' | 'detectionThreshold' | 'boxThreshold' | 'useDirection'>;

export const MAX_SIDE_MIN = 320;
export const MAX_SIDE_MAX = 4096;
/** The detector works on multiples of 32 pixels. */
export const MAX_SIDE_STEP = 32;
export const THRESHOLD_MIN = 0.05;
export const THRESHOLD_MAX = 0.95;

/** The API's documented defaults (the model's own defaults apply when a field is not sent). */
export function defaultOcrOptions(): OcrFormValue {
  return { maxSide: 960, detectionThreshold: 0.3, boxThreshold: 0.6, useDirection: true };
}

function clampThreshold(value: number): number {
  return Math.min(THRESHOLD_MAX, Math.max(THRESHOLD_MIN, Math.round(value * 100) / 100));
}

function clampMaxSide(value: number): number {
  const rounded = Math.round(value / MAX_SIDE_STEP) * MAX_SIDE_STEP;
  return Math.min(MAX_SIDE_MAX, Math.max(MAX_SIDE_MIN, rounded));
}

/**
 * The form as request fields: clamped, and only what differs from the defaults, so a model whose
 * manifest tunes its own defaults keeps them until the user changes something.
 */
export function toOcrOptions(form: OcrFormValue): OcrRequestOptions {
  const defaults = defaultOcrOptions();
  const options: OcrRequestOptions = {};
  if (Number.isFinite(form.maxSide)) {
    const maxSide = clampMaxSide(form.maxSide);
    if (maxSide !== defaults.maxSide) options.maxSide = maxSide;
  }
  for (const key of ['detectionThreshold', 'boxThreshold'] as const) {
    if (!Number.isFinite(form[key])) continue;
    const value = clampThreshold(form[key]);
    if (value !== defaults[key]) options[key] = value;
  }
  if (form.useDirection !== defaults.useDirection) options.useDirection = form.useDirection;
  return options;
}

function inRange(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
}

/** The OCR options the next files use, remembered across visits (one set for every OCR model). */
export function useOcrOptions() {
  return usePersistedOptions({
    key: 'dlserve.ocr-options',
    defaults: defaultOcrOptions,
    restore(saved, value) {
      if (inRange(saved.maxSide, MAX_SIDE_MIN, MAX_SIDE_MAX)) value.maxSide = saved.maxSide;
      for (const key of ['detectionThreshold', 'boxThreshold'] as const) {
        const threshold = saved[key];
        if (inRange(threshold, THRESHOLD_MIN, THRESHOLD_MAX)) value[key] = threshold;
      }
      if (typeof saved.useDirection === 'boolean') value.useDirection = saved.useDirection;
    },
    toOptions: toOcrOptions,
  });
}
