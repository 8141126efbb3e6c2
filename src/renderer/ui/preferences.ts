/** The user's preferences remembered in localStorage: the language (applied to i18next and <html lang>) and the training backend. */
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isLanguage, type Language } from '../../shared/i18n/index.js';
import { BackendNameSchema } from '../../shared/model/training.js';

export const LANGUAGE_STORAGE_KEY = 'xinzhi.language';
export const COLOR_SCHEME_STORAGE_KEY = 'xinzhi.color-scheme';
export const TRAINING_BACKEND_STORAGE_KEY = 'xinzhi.training-backend';

/** 'auto': the best backend the machine has; or one forced for every training run (Settings). */
export type TrainingBackendPreference = 'auto' | (typeof BackendNameSchema.options)[number];

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

export function preferredTrainingBackend(): TrainingBackendPreference {
  try {
    const stored = window.localStorage.getItem(TRAINING_BACKEND_STORAGE_KEY);
    const parsed = BackendNameSchema.safeParse(stored);
    if (parsed.success) return parsed.data;
  } catch {
    // Storage may be unavailable: the best backend.
  }
  return 'auto';
}

export function useTrainingBackend(): [TrainingBackendPreference, (backend: TrainingBackendPreference) => void] {
  const [backend, setBackend] = useState(preferredTrainingBackend);
  const set = useCallback((next: TrainingBackendPreference) => {
    setBackend(next);
    try {
      if (next === 'auto') window.localStorage.removeItem(TRAINING_BACKEND_STORAGE_KEY);
      else window.localStorage.setItem(TRAINING_BACKEND_STORAGE_KEY, next);
    } catch {
      // Not remembered, but used for this session.
    }
  }, []);
  return [backend, set];
}
