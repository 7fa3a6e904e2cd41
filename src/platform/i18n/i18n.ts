import i18next, { type TFunction } from 'i18next';
import { z } from 'zod';
import en from './locales/en.ts';
import es from './locales/es.ts';
import zhCN from './locales/zh-CN.ts';

export const LOCALES = ['zh-CN', 'en', 'es'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

const i18n = i18next.createInstance();
void i18n.init({
  initAsync: false,
  lng: DEFAULT_LOCALE,
  fallbackLng: 'en',
  supportedLngs: [...LOCALES],
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en }, es: { translation: es } },
  interpolation: { escapeValue: false },
});

export function translator(locale: Locale): TFunction {
  return i18n.getFixedT(locale);
}

export function t(locale: Locale, key: string, vars?: Record<string, unknown>): string {
  return i18n.getFixedT(locale)(key, vars ?? {}) as string;
}

export function hasKey(key: string): boolean {
  return i18n.exists(key, { lng: DEFAULT_LOCALE });
}

/** Picks the best supported locale from an Accept-Language header ("en-US,en;q=0.9,zh;q=0.8"). */
export function negotiateLocale(header: string | undefined, fallback: Locale = DEFAULT_LOCALE): Locale {
  if (!header) return fallback;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
    if (tag === 'es' || tag.startsWith('es-')) return 'es';
    if (tag === '*') return fallback;
  }
  return fallback;
}

const zodLocales: Record<Locale, () => { localeError: z.core.$ZodErrorMap }> = {
  'zh-CN': z.locales.zhCN,
  en: z.locales.en,
  es: z.locales.es,
};

/**
 * A zod error map for one parse, in the caller's language. Schemas name their own messages by i18n key
 * (`{ error: 'validation.mobile' }`); those are translated by localizeMessage, the rest come from zod's locale.
 */
export function zodErrorMap(locale: Locale): z.core.$ZodErrorMap {
  return zodLocales[locale]().localeError;
}

/** A message that is one of our i18n keys is translated; any other text is already final. */
export function localizeMessage(locale: Locale, message: string): string {
  return /^(validation|errors)\.[a-z_]+$/.test(message) && hasKey(message) ? t(locale, message) : message;
}
