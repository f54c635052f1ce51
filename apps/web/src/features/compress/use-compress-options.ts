import {
  DEFAULT_SSIM_TARGET,
  OUTPUT_FORMATS,
  type CompressOptions,
  type OutputFormat,
} from '@dlserve/shared';
import { usePersistedOptions } from '../../shared/composables/use-persisted-options';

/** What the options form edits; empty size fields are `null`. */
export interface OptionsFormValue {
  format: OutputFormat;
  target: number;
  maxWidth: number | null;
  maxHeight: number | null;
}

export const TARGET_MIN = 0.9;
export const TARGET_MAX = 0.999;

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

/** The compression options the next uploads use, remembered across visits. */
export function useCompressOptions() {
  return usePersistedOptions({
    key: 'dlserve.compress-options',
    defaults: defaultOptions,
    restore(saved, value) {
      if (OUTPUT_FORMATS.includes(saved.format as OutputFormat)) value.format = saved.format as OutputFormat;
      if (typeof saved.target === 'number' && saved.target >= TARGET_MIN && saved.target <= TARGET_MAX) {
        value.target = saved.target;
      }
      value.maxWidth = positiveInt(saved.maxWidth);
      value.maxHeight = positiveInt(saved.maxHeight);
    },
    toOptions: toCompressOptions,
  });
}
