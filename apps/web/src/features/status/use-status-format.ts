import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { LOCALE_TAGS, type Locale } from '../../shared/i18n/locale';

/** The status page's figures in the UI's language: rates, milliseconds, clock times. */
export function useStatusFormat() {
  const { t, locale } = useI18n();
  const tag = computed(() => LOCALE_TAGS[locale.value as Locale] ?? 'en');
  const oneDecimal = computed(() => new Intl.NumberFormat(tag.value, { maximumFractionDigits: 1 }));
  const whole = computed(() => new Intl.NumberFormat(tag.value, { maximumFractionDigits: 0 }));
  const clock = computed(() => new Intl.DateTimeFormat(tag.value, { hour: '2-digit', minute: '2-digit' }));
  const clockSeconds = computed(() => new Intl.DateTimeFormat(tag.value, { hour: '2-digit', minute: '2-digit', second: '2-digit' }));

  const number = (value: number): string => oneDecimal.value.format(value);
  return {
    tag,
    number,
    rate: (value: number): string => t('status.unit.perMinute', { value: number(value) }),
    ms: (value: number): string => t('status.unit.ms', { value: value < 10 ? number(value) : whole.value.format(value) }),
    /** A chart's time axis: seconds since the epoch. */
    clock: (seconds: number): string => clock.value.format(seconds * 1000),
    time: (iso: string): string => clockSeconds.value.format(new Date(iso)),
  };
}
