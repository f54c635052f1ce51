import { watch } from 'vue';
import type { LocalizedText } from '@dlserve/shared';
import { createI18n, useI18n } from 'vue-i18n';
import { initialLocale, LOCALE_TAGS, rememberLocale, type Locale } from './locale';
import { messages, type MessageSchema } from './messages';

export { LOCALES, LOCALE_TAGS, type Locale } from './locale';

/**
 * `t` as code outside a component is given it (a component's `useI18n().t`, or the app's global
 * one): a key, with named values (`{ name }`) or a count that picks the plural form (`{n}`).
 */
export interface Translate {
  (key: string): string;
  (key: string, named: Record<string, unknown>): string;
  (key: string, plural: number): string;
  (key: string, named: Record<string, unknown>, plural: number): string;
}

type AppI18n = ReturnType<typeof createAppI18n>;
let current: AppI18n | undefined;

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
  current = i18n;
  return i18n;
}

/**
 * The app's global translator and language, for code that runs outside a component's setup (a
 * queue's announcements, a thrown error's message). Reading `locale()` in a render is reactive.
 */
export function appI18n(): { t: Translate; locale: () => Locale } {
  if (!current) throw new Error('createAppI18n() must run before the UI translates anything.');
  const global = current.global;
  return { t: global.t as Translate, locale: () => global.locale.value };
}

/** A text given in several languages (a model's title): the current one's, else the English. */
export function localize(text: LocalizedText, locale: Locale): string {
  return text[locale] || text.en;
}

/** The current language, and a way to switch it that the next visit remembers. */
export function useLocale() {
  const { locale } = useI18n<[MessageSchema], Locale>();
  return {
    locale,
    /** The current language's version of a model's title or description. */
    localize: (text: LocalizedText) => localize(text, locale.value),
    setLocale(next: Locale) {
      locale.value = next;
      rememberLocale(next);
    },
  };
}

