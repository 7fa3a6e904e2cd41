/** The business calendar's vocabulary: times of day as "HH:MM", intervals, a week of working hours. */

/** "HH:MM", 00:00–23:59; "24:00" only as the end of an interval. */
export type TimeOfDay = string;
/** [start, end). Working intervals have start < end; quiet intervals may wrap midnight (end < start). */
export type Interval = [TimeOfDay, TimeOfDay];

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type WeekHours = Record<Weekday, Interval[]>;

export type DayType = 'workday' | 'weekend' | 'holiday' | 'adjusted_workday';

export interface OverrideRule {
  date: string;
  kind: 'holiday' | 'workday' | 'hours';
  hours: Interval[] | null;
  name: string;
  scope: string | null;
}

/** Everything a calendar needs, as stored (all scopes). */
export interface CalendarData {
  timeZone: string;
  workingHours: WeekHours;
  scopedHours: Record<string, WeekHours>;
  quietHours: Interval[];
  overrides: OverrideRule[];
  /** Official tables an admin imported: each listed year replaces the built-in chinese-days data of that year. */
  importedOfficial?: ImportedOfficial;
}

export interface ImportedOfficial {
  years: number[];
  days: Record<string, { kind: 'holiday' | 'adjusted_workday'; name: string }>;
}

export interface DayInfo {
  date: string;
  type: DayType;
  /** The official holiday name (国庆节) or the override's name. */
  name?: string;
  working: boolean;
  hours: Interval[];
}

const LUNCH: Interval[] = [
  ['09:00', '12:00'],
  ['13:30', '18:00'],
];

export const DEFAULT_WORKING_HOURS: WeekHours = {
  mon: LUNCH,
  tue: LUNCH,
  wed: LUNCH,
  thu: LUNCH,
  fri: LUNCH,
  sat: [],
  sun: [],
};
export const DEFAULT_QUIET_HOURS: Interval[] = [
  ['12:00', '14:00'],
  ['21:00', '09:00'],
];
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export function defaultCalendarData(timeZone = DEFAULT_TIME_ZONE): CalendarData {
  return {
    timeZone,
    workingHours: DEFAULT_WORKING_HOURS,
    scopedHours: {},
    quietHours: DEFAULT_QUIET_HOURS,
    overrides: [],
  };
}

/** Minutes since midnight: "13:30" → 810, "24:00" → 1440. */
export function minutesOf(t: TimeOfDay): number {
  return Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
}

const TIME_RE = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
export const isTimeOfDay = (s: string) => TIME_RE.test(s);

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The years the calendar answers for: far enough for any due date, and four-digit so that dates sort as text. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2200;

/** A real calendar date written YYYY-MM-DD (2026-02-30 is not), within MIN_YEAR…MAX_YEAR. */
export function isIsoDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m || Number(m[1]) < MIN_YEAR || Number(m[1]) > MAX_YEAR) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return (
    d.getUTCFullYear() === Number(m[1]) &&
    d.getUTCMonth() === Number(m[2]) - 1 &&
    d.getUTCDate() === Number(m[3])
  );
}

/** Date arithmetic on YYYY-MM-DD strings, free of any time zone. */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1;
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
