import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSessionQuery } from '../modules/auth/session';

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export interface Formatters {
  timeZone: string;
  dateTime: (iso: string | null | undefined) => string;
  date: (iso: string | null | undefined) => string;
}

function safeFormatter(locale: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(locale, opts);
  } catch {
    return new Intl.DateTimeFormat(locale, { ...opts, timeZone: DEFAULT_TIME_ZONE });
  }
}

/** Dates in the organization's time zone and the user's language. */
export function useFormatters(): Formatters {
  const { i18n } = useTranslation();
  const { data } = useSessionQuery();
  const timeZone = data?.org.timeZone || DEFAULT_TIME_ZONE;
  const locale = i18n.language;
  return useMemo(() => {
    const dt = safeFormatter(locale, { timeZone, dateStyle: 'medium', timeStyle: 'short' });
    const d = safeFormatter(locale, { timeZone, dateStyle: 'medium' });
    const plainDate = safeFormatter(locale, { timeZone: 'UTC', dateStyle: 'medium' });
    return {
      timeZone,
      dateTime: (iso) => {
        if (!iso) return '—';
        const v = new Date(iso);
        return Number.isNaN(v.getTime()) ? iso : dt.format(v);
      },
      // A calendar date (YYYY-MM-DD) has no time zone; a timestamp is shown as the org's calendar day.
      date: (iso) => {
        if (!iso) return '—';
        if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return plainDate.format(new Date(`${iso}T00:00:00Z`));
        const v = new Date(iso);
        return Number.isNaN(v.getTime()) ? iso : d.format(v);
      },
    };
  }, [locale, timeZone]);
}
