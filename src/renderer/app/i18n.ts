/** i18next over the shared catalogues (errors, CLI, UI), in zh-CN and en. */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { messages } from '../../shared/i18n/index.js';
import { preferredLanguage } from '../ui/preferences.js';

export function initI18n(): typeof i18next {
  const lng = preferredLanguage();
  void i18next.use(initReactI18next).init({
    resources: { en: { translation: messages.en }, 'zh-CN': { translation: messages['zh-CN'] } },
    lng,
    fallbackLng: 'en',
    supportedLngs: ['en', 'zh-CN'],
    load: 'currentOnly',
    initAsync: false,
    // React escapes text itself.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const apply = (lang: string) => {
    document.documentElement.lang = lang;
    document.title = i18next.t('ui.appName');
  };
  apply(lng);
  i18next.on('languageChanged', apply);
  return i18next;
}
