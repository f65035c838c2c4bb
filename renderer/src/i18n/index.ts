import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from '../../../resources/i18n/en.json';
import it from '../../../resources/i18n/it.json';

export const LANGUAGES = ['it', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Italian first; English when the person chose it. Missing English keys fall back to Italian. */
export function initI18n(language: Language = 'it') {
  void i18next.use(initReactI18next).init({
    resources: { it: { translation: it }, en: { translation: en } },
    lng: language,
    fallbackLng: 'it',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return i18next;
}
