import { createRequire } from 'node:module';

/**
 * Chinese public holidays and adjusted working days (调休) from chinese-days, behind one small function.
 * We read its prebuilt table (dist/chinese-days.json: "YYYY-MM-DD" → "National Day,国庆节,3") rather than call
 * getDayDetail: the functions build their tables with local-time date arithmetic at load, and in time zones
 * west of UTC they shift days (2026-01-03 comes out as a working day in America/Los_Angeles).
 * Years after its data ends are plain weekdays and weekends (see `coverage`); admins add days as overrides.
 */
interface ChineseDaysTable {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

const table = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDaysTable;

export interface OfficialDay {
  kind: 'holiday' | 'adjusted_workday';
  /** Chinese name: 国庆节 */
  name: string;
  nameEn: string;
}

const named = (v: string) => {
  const [nameEn, name] = v.split(',');
  return { name: name ?? nameEn, nameEn };
};

export function officialDay(date: string): OfficialDay | null {
  const off = table.holidays[date];
  const on = table.workdays[date];
  const [y, m, d] = date.split('-').map(Number);
  const weekend = [0, 6].includes(new Date(Date.UTC(y, m - 1, d)).getUTCDay());
  if (off) return { kind: 'holiday', ...named(off) };
  if (on && weekend) return { kind: 'adjusted_workday', ...named(on) };
  return null;
}

let lastYear: number | undefined;

/** The last year with official holiday data. */
export function coverage(): number {
  lastYear ??= Math.max(...Object.keys(table.holidays).map((d) => Number(d.slice(0, 4))));
  return lastYear;
}
