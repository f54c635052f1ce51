import type { ImageFormat } from '@dlserve/shared';
import { useI18n } from 'vue-i18n';
import { appI18n, type Locale, type Translate } from '../i18n';
import {
  formatBytes,
  formatDimensions,
  formatDuration,
  formatName,
  formatPercent,
  formatSsim,
  savingOf,
} from './format';

/** `format.ts` bound to a language, with the sentences around its figures. */
export function createFormatters(t: Translate, locale: () => Locale) {
  return {
    bytes: (bytes: number) => formatBytes(bytes, locale()),
    percent: (fraction: number, digits = 0) => formatPercent(fraction, digits, locale()),
    duration: (ms: number) => formatDuration(ms, locale()),
    ssim: (ssim: number) => formatSsim(ssim, locale()),
    dimensions: formatDimensions,
    /** `74% smaller`, `小了 74%`. */
    saving(bytesIn: number, bytesOut: number): string {
      const saving = savingOf(bytesIn, bytesOut);
      if (saving.kind === 'smaller' || saving.kind === 'larger') {
        const percent = formatPercent(saving.percent / 100, 0, locale());
        return saving.kind === 'smaller' ? t('format.smaller', { percent }) : t('format.larger', { percent });
      }
      return saving.kind === 'same' ? t('format.same') : t('format.under1');
    },
    /** `WebP · quality 78`, or just `PNG` when there is no encoder quality. */
    imageFormat(format: ImageFormat, quality: number | null): string {
      const name = formatName(format);
      return quality === null ? name : t('format.quality', { format: name, quality });
    },
  };
}

export type Formatters = ReturnType<typeof createFormatters>;

/** In a component: the formatters in the component's language (re-rendered when it changes). */
export function useFormat(): Formatters {
  const { t, locale } = useI18n();
  return createFormatters(t as Translate, () => locale.value as Locale);
}

/** Outside a component (a queue's announcements): the app's current language. */
export function appFormat(): Formatters {
  const { t, locale } = appI18n();
  return createFormatters(t, locale);
}
