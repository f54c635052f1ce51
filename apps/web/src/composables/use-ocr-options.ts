import type { OcrSettings } from '@dlserve/shared';
import { computed, ref, watch } from 'vue';
import type { OcrRequestOptions } from '../api/models';

/** What the OCR options form edits. */
export type OcrFormValue = Pick<OcrSettings, 'maxSide' | 'detectionThreshold' | 'boxThreshold' | 'useDirection'>;

export const MAX_SIDE_MIN = 320;
export const MAX_SIDE_MAX = 4096;
/** The detector works on multiples of 32 pixels. */
export const MAX_SIDE_STEP = 32;
export const THRESHOLD_MIN = 0.05;
export const THRESHOLD_MAX = 0.95;
const STORAGE_KEY = 'dlserve.ocr-options';

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

/** Reads what a previous visit saved, ignoring anything malformed. */
function load(): OcrFormValue {
  const value = defaultOcrOptions();
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    if (typeof saved !== 'object' || saved === null) return value;
    const record = saved as Record<string, unknown>;
    if (inRange(record.maxSide, MAX_SIDE_MIN, MAX_SIDE_MAX)) value.maxSide = record.maxSide;
    for (const key of ['detectionThreshold', 'boxThreshold'] as const) {
      const saved = record[key];
      if (inRange(saved, THRESHOLD_MIN, THRESHOLD_MAX)) value[key] = saved;
    }
    if (typeof record.useDirection === 'boolean') value.useDirection = record.useDirection;
  } catch {
    // Storage blocked or corrupt: start from the defaults.
  }
  return value;
}

/** The OCR options the next files use, remembered across visits (one set for every OCR model). */
export function useOcrOptions() {
  const form = ref<OcrFormValue>(load());
  const options = computed(() => toOcrOptions(form.value));

  watch(
    form,
    (value) => {
      try {
        localStorage.setItem(STORAGE_KEY, JSON.stringify(value));
      } catch {
        // Private mode or quota: the options still apply for this visit.
      }
    },
    { deep: true },
  );

  function reset(): void {
    form.value = defaultOcrOptions();
  }

  return { form, options, reset };
}
