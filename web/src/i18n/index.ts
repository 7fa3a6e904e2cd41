import dayjs from 'dayjs';
import 'dayjs/locale/en';
import 'dayjs/locale/es';
import 'dayjs/locale/zh-cn';
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setApiLocale } from '../api/client';
import en from './en';
import es from './es';
import zhCN, { type Catalog } from './zh-CN';

export const LOCALES = ['zh-CN', 'en', 'es'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';
const STORAGE_KEY = 'kept.locale';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Catalog };
  }
}

export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
}

function storedLocale(): Locale {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    if (isLocale(v)) return v;
  } catch {
    /* storage unavailable */
  }
  return DEFAULT_LOCALE;
}

const DAYJS_LOCALE: Record<Locale, string> = { 'zh-CN': 'zh-cn', en: 'en', es: 'es' };

function applySideEffects(locale: Locale): void {
  setApiLocale(locale);
  dayjs.locale(DAYJS_LOCALE[locale]);
  document.documentElement.lang = locale;
}

const initial = storedLocale();
applySideEffects(initial);

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en }, es: { translation: es } },
  lng: initial,
  fallbackLng: DEFAULT_LOCALE,
  supportedLngs: [...LOCALES],
  interpolation: { escapeValue: false }, // React escapes text itself
  returnNull: false,
});

export async function changeLocale(locale: Locale): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    /* storage unavailable */
  }
  applySideEffects(locale);
  await i18n.changeLanguage(locale);
}

export function currentLocale(): Locale {
  return isLocale(i18n.language) ? i18n.language : DEFAULT_LOCALE;
}

/** A label in the current language from a server-side {zh-CN, en, es} map, falling back sensibly. */
export function pickLabel(
  label: Partial<Record<Locale, string>> | undefined,
  locale: Locale,
  fallback = '',
): string {
  if (!label) return fallback;
  return label[locale] || label[DEFAULT_LOCALE] || label.en || label.es || fallback;
}

export default i18n;

/**
 * Looks up a dotted code (a permission such as `customer.read`, an event such as `customer.update`)
 * in a flat map of the catalog. i18next would split such keys on the dots, so they are read directly.
 */
export function codeLabel(section: 'permissions' | 'events', code: string): string | undefined {
  const map = i18n.getResource(i18n.language, 'translation', section) as Record<string, string> | undefined;
  const fallback = i18n.getResource(DEFAULT_LOCALE, 'translation', section) as
    | Record<string, string>
    | undefined;
  return map?.[code] ?? fallback?.[code];
}
