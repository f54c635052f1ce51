import { afterEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { createAppI18n, localize } from '.';
import { initialLocale, localeFromLanguages, rememberLocale } from './locale';
import { messages } from './messages';

describe('locale', () => {
  afterEach(() => localStorage.clear());

  it('takes the first browser language the UI has, Chinese of any region or script included', () => {
    expect(localeFromLanguages(['zh-CN', 'en'])).toBe('zh');
    expect(localeFromLanguages(['zh-Hant-TW'])).toBe('zh');
    expect(localeFromLanguages(['fr-FR', 'zh', 'en'])).toBe('zh');
    expect(localeFromLanguages(['de', 'en-GB'])).toBe('en');
    expect(localeFromLanguages(['ja'])).toBe('en');
    expect(localeFromLanguages([])).toBe('en');
  });

  it('prefers the language chosen before to the browser’s, and ignores a tampered one', () => {
    rememberLocale('zh');
    expect(initialLocale()).toBe('zh');
    localStorage.setItem('dlserve.locale', 'xx');
    expect(initialLocale()).toBe(localeFromLanguages(navigator.languages));
  });

  it('keeps <html lang> in step with the language', async () => {
    const i18n = createAppI18n('zh');
    expect(document.documentElement.lang).toBe('zh-CN');
    i18n.global.locale.value = 'en';
    await nextTick();
    expect(document.documentElement.lang).toBe('en');
  });

  it('has a Chinese string for every English one, and none left in English', () => {
    const leaves = (tree: object, prefix = ''): [string, string][] =>
      Object.entries(tree).flatMap(([key, value]) =>
        typeof value === 'string' ? [[prefix + key, value] as [string, string]] : leaves(value, `${prefix}${key}.`),
      );
    const en = new Map(leaves(messages.en));
    const zh = new Map(leaves(messages.zh));
    expect([...zh.keys()].sort()).toEqual([...en.keys()].sort());
    // A Chinese string identical to the English one was forgotten (names such as "dlserve" aside).
    const untranslated = [...zh].filter(([key, text]) => text === en.get(key) && /[a-z]{3}/.test(text));
    expect(untranslated).toEqual([]);
  });

  it('picks a model title in the current language, else the English', () => {
    expect(localize({ en: 'Text recognition', zh: '文字识别' }, 'zh')).toBe('文字识别');
    expect(localize({ en: 'Text recognition', zh: '文字识别' }, 'en')).toBe('Text recognition');
    expect(localize({ en: 'Colour' }, 'zh')).toBe('Colour');
    expect(localize({ en: 'Colour', zh: '' }, 'zh')).toBe('Colour');
  });
});
