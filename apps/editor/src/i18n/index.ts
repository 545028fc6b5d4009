import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.ts';
import { ja } from './ja.ts';

export const LANGUAGES = ['ja', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'nurtureflow.language';

/** The language the marketer chose last time on this browser; Japanese the first time. */
export function storedLanguage(): Language {
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
  return saved === 'en' || saved === 'ja' ? saved : 'ja';
}

/** Starts i18next with both catalogues, synchronously, in the remembered language. */
export function setupI18n(lng: Language = storedLanguage()): i18n {
  void i18next.use(initReactI18next).init({
    resources: { ja: { translation: ja }, en: { translation: en } },
    lng,
    fallbackLng: 'en',
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  if (typeof document !== 'undefined') document.documentElement.lang = lng;
  return i18next;
}

/** Switches the language and remembers it for the next visit. */
export function changeLanguage(lng: Language): void {
  globalThis.localStorage?.setItem(STORAGE_KEY, lng);
  void i18next.changeLanguage(lng);
  if (typeof document !== 'undefined') document.documentElement.lang = lng;
}

/** The language in force now. */
export function currentLanguage(): Language {
  return i18next.language === 'en' ? 'en' : 'ja';
}

/** A plain translate function over i18next's `t`, for code that only needs key → text (summaries). */
export function plainTranslate(t: (...args: never[]) => unknown): (key: string, options?: Record<string, unknown>) => string {
  const f = t as unknown as (key: string, options?: Record<string, unknown>) => unknown;
  return (key, options) => String(f(key, options));
}
