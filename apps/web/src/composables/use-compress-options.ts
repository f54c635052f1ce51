import {
  DEFAULT_SSIM_TARGET,
  OUTPUT_FORMATS,
  type CompressOptions,
  type OutputFormat,
} from '@dlserve/shared';
import { computed, ref, watch } from 'vue';

/** What the options form edits; empty size fields are `null`. */
export interface OptionsFormValue {
  format: OutputFormat;
  target: number;
  maxWidth: number | null;
  maxHeight: number | null;
}

export const TARGET_MIN = 0.9;
export const TARGET_MAX = 0.999;
const STORAGE_KEY = 'dlserve.compress-options';

export function defaultOptions(): OptionsFormValue {
  return { format: 'auto', target: DEFAULT_SSIM_TARGET, maxWidth: null, maxHeight: null };
}

function positiveInt(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 1 ? Math.floor(n) : null;
}

/** The form's value as request options: clamped, rounded, unset fields left out. */
export function toCompressOptions(form: OptionsFormValue): CompressOptions {
  const options: CompressOptions = { format: form.format };
  if (Number.isFinite(form.target)) {
    options.target = Math.min(TARGET_MAX, Math.max(TARGET_MIN, Math.round(form.target * 1000) / 1000));
  }
  const maxWidth = positiveInt(form.maxWidth);
  const maxHeight = positiveInt(form.maxHeight);
  if (maxWidth !== null) options.maxWidth = maxWidth;
  if (maxHeight !== null) options.maxHeight = maxHeight;
  return options;
}

/** Reads what a previous visit saved, ignoring anything malformed. */
function load(): OptionsFormValue {
  const value = defaultOptions();
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    if (typeof saved !== 'object' || saved === null) return value;
    const record = saved as Record<string, unknown>;
    if (OUTPUT_FORMATS.includes(record.format as OutputFormat)) {
      value.format = record.format as OutputFormat;
    }
    if (typeof record.target === 'number' && record.target >= TARGET_MIN && record.target <= TARGET_MAX) {
      value.target = record.target;
    }
    value.maxWidth = positiveInt(record.maxWidth);
    value.maxHeight = positiveInt(record.maxHeight);
  } catch {
    // Storage blocked or corrupt: start from the defaults.
  }
  return value;
}

/** The compression options the next uploads use, remembered across visits. */
export function useCompressOptions() {
  const form = ref<OptionsFormValue>(load());
  const options = computed(() => toCompressOptions(form.value));

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
    form.value = defaultOptions();
  }

  return { form, options, reset };
}
