/** The user's language, remembered in localStorage and applied to i18next and <html lang>. */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { isLanguage, type Language } from '../../shared/i18n/index.js';

export const LANGUAGE_STORAGE_KEY = 'xinzhi.language';
export const COLOR_SCHEME_STORAGE_KEY = 'xinzhi.color-scheme';

/** The remembered language, else the browser's (Chinese for any zh-*), else English. */
export function preferredLanguage(): Language {
  try {
    const stored = window.localStorage.getItem(LANGUAGE_STORAGE_KEY);
    if (isLanguage(stored)) return stored;
  } catch {
    // Storage may be unavailable; fall through to the browser's language.
  }
  const nav = typeof navigator !== 'undefined' ? navigator.language : 'en';
  return nav.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function useLanguage(): [Language, (lang: Language) => void] {
  const { i18n } = useTranslation();
  const current: Language = isLanguage(i18n.language) ? i18n.language : 'en';
  const set = useCallback(
    (lang: Language) => {
      void i18n.changeLanguage(lang);
      try {
        window.localStorage.setItem(LANGUAGE_STORAGE_KEY, lang);
      } catch {
        // Not remembered, but still switched for this session.
      }
    },
    [i18n],
  );
  return [current, set];
}
