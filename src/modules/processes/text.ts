import type { Locale } from '../../platform/i18n/i18n.ts';
import type { I18nText } from './definition.schema.ts';

/** Picks a definition text in the wanted language (zh-CN, then en, then es as fallbacks). */
export function textOf(t: I18nText | undefined, locale: Locale): string {
  if (t === undefined) return '';
  if (typeof t === 'string') return t;
  return t[locale] ?? t['zh-CN'] ?? t.en ?? t.es ?? '';
}

/** Replaces {{record.name}}, {{data.x}} placeholders with values from the context; unknown ones stay empty. */
export function render(template: string, vars: Record<string, unknown>): string {
  return template.replace(/\{\{\s*([a-zA-Z0-9_.]+)\s*\}\}/g, (_, path: string) => {
    let v: unknown = vars;
    for (const part of path.split('.'))
      v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
    return v === undefined || v === null ? '' : String(v);
  });
}
