import { watch } from 'vue';
import { createI18n, useI18n } from 'vue-i18n';
import { initialLocale, LOCALE_TAGS, rememberLocale, type Locale } from './locale';
import { messages, type MessageSchema } from './messages';

export { LOCALES, LOCALE_TAGS, type Locale } from './locale';

/**
 * The app's vue-i18n instance (Composition API mode). Tests pass a locale; the page starts in the
 * one remembered, else the browser's, and keeps `<html lang>` in step with it.
 */
export function createAppI18n(locale: Locale = initialLocale()) {
  const i18n = createI18n<false, { legacy: false; locale: Locale; fallbackLocale: Locale; messages: typeof messages }>({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages,
  });
  watch(
    i18n.global.locale,
    (current) => {
      if (typeof document !== 'undefined') document.documentElement.lang = LOCALE_TAGS[current];
    },
    { immediate: true },
  );
  return i18n;
}

/** The current language, and a way to switch it that the next visit remembers. */
export function useLocale() {
  const { locale } = useI18n<[MessageSchema], Locale>();
  return {
    locale,
    setLocale(next: Locale) {
      locale.value = next;
      rememberLocale(next);
    },
  };
}

