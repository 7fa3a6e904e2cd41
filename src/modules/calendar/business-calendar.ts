import { DateTime } from 'luxon';
import { AppError } from '../../platform/http/errors.ts';
import {
  addDays,
  type CalendarData,
  type DayInfo,
  daysBetween,
  type ImportedOfficial,
  type Interval,
  isoWeekday,
  minutesOf,
  type OverrideRule,
  WEEKDAYS,
  type WeekHours,
} from './calendar.types.ts';
import { officialDay } from './official-days.ts';

/** How far a search walks without finding working time before it gives up (a calendar with no working days). */
const MAX_IDLE_DAYS = 3660;

const noWorkingTime = () =>
  new AppError('validation', { fields: { calendar: { key: 'validation.no_working_time' } } });

interface DaySpans {
  info: DayInfo;
  /** The working intervals as [startMs, endMs) instants, computed on first use. */
  spans?: Array<[number, number]>;
}

/**
 * One org's calendar for one scope (a shop, a branch, or the org itself), loaded once: pure functions of dates
 * and instants, no I/O. Days are computed on demand and memoized.
 */
export class BusinessCalendar {
  readonly timeZone: string;
  readonly week: WeekHours;
  readonly quietHours: Interval[];
  readonly scope: string | null;
  private readonly overrides = new Map<string, OverrideRule>();
  private readonly imported: ImportedOfficial | undefined;
  private readonly memo = new Map<string, DaySpans>();

  constructor(data: CalendarData, scope: string | null = null) {
    this.timeZone = data.timeZone;
    this.scope = scope;
    this.week = (scope && data.scopedHours[scope]) || data.workingHours;
    this.quietHours = data.quietHours;
    this.imported = data.importedOfficial;
    // Org-wide overrides first; the scope's own override of the same date wins.
    for (const o of data.overrides) if (o.scope === null) this.overrides.set(o.date, o);
    if (scope) for (const o of data.overrides) if (o.scope === scope) this.overrides.set(o.date, o);
  }

  /** The hours of an ordinary weekday, used by adjusted working days (调休): Monday's, else the first weekday's. */
  private weekdayPattern(): Interval[] {
    for (const d of WEEKDAYS.slice(0, 5)) if (this.week[d].length) return this.week[d];
    return [];
  }

  day(date: string): DayInfo {
    let hit = this.memo.get(date);
    if (!hit) {
      if (this.memo.size > 5000) this.memo.clear();
      hit = { info: this.resolveDay(date) };
      this.memo.set(date, hit);
    }
    return hit.info;
  }

  /** The working intervals of a date as [startMs, endMs) instants; only computed when asked (counting days needs none). */
  spansOf(date: string): Array<[number, number]> {
    this.day(date);
    const hit = this.memo.get(date) as DaySpans;
    hit.spans ??= hit.info.hours.map(([s, e]): [number, number] => [
      this.instantOf(date, minutesOf(s)),
      this.instantOf(date, minutesOf(e)),
    ]);
    return hit.spans;
  }

  /** The official day: from the org's imported table when it has one for the year, else from chinese-days. */
  private officialOf(date: string): { kind: 'holiday' | 'adjusted_workday'; name: string } | null {
    if (this.imported?.years.includes(Number(date.slice(0, 4)))) {
      const d = this.imported.days[date];
      if (!d) return null;
      // Like chinese-days: an adjusted working day only matters on a weekend.
      if (d.kind === 'adjusted_workday' && isoWeekday(date) < 6) return null;
      return d;
    }
    return officialDay(date);
  }

  private resolveDay(date: string): DayInfo {
    const official = this.officialOf(date);
    let base: DayInfo;
    if (official?.kind === 'holiday')
      base = { date, type: 'holiday', name: official.name, working: false, hours: [] };
    else if (official?.kind === 'adjusted_workday') {
      const hours = this.weekdayPattern();
      base = { date, type: 'adjusted_workday', name: official.name, working: hours.length > 0, hours };
    } else {
      const hours = this.week[WEEKDAYS[isoWeekday(date) - 1]];
      base = { date, type: hours.length ? 'workday' : 'weekend', working: hours.length > 0, hours };
    }
    const o = this.overrides.get(date);
    if (!o) return base;
    const name = o.name || base.name;
    if (o.kind === 'holiday')
      return { date, type: 'holiday', ...(name ? { name } : {}), working: false, hours: [] };
    const hours = o.hours ?? (o.kind === 'workday' ? this.weekdayPattern() : base.hours);
    const type = base.working ? base.type : 'adjusted_workday';
    return { date, type, ...(name ? { name } : {}), working: hours.length > 0, hours };
  }

  /** The instant of a wall-clock time on a date in the calendar's zone; 1440 minutes is the next midnight. */
  instantOf(date: string, minutes: number): number {
    const d = minutes >= 1440 ? addDays(date, 1) : date;
    const m = minutes >= 1440 ? minutes - 1440 : minutes;
    const [year, month, day] = d.split('-').map(Number);
    return DateTime.fromObject(
      { year, month, day, hour: Math.floor(m / 60), minute: m % 60 },
      { zone: this.timeZone },
    ).toMillis();
  }

  /** The calendar date (in the calendar's zone) of an instant. */
  dateOf(at: number | Date): string {
    return DateTime.fromMillis(typeof at === 'number' ? at : at.getTime(), {
      zone: this.timeZone,
    }).toISODate() as string;
  }

  /** Minutes since local midnight of an instant. */
  minuteOf(at: number): number {
    const dt = DateTime.fromMillis(at, { zone: this.timeZone });
    return dt.hour * 60 + dt.minute + dt.second / 60 + dt.millisecond / 60000;
  }

  isWorkingDay(date: string): boolean {
    return this.day(date).working;
  }

  dayType(date: string): Pick<DayInfo, 'type' | 'name'> {
    const { type, name } = this.day(date);
    return name ? { type, name } : { type };
  }

  days(from: string, to: string): DayInfo[] {
    const out: DayInfo[] = [];
    for (let i = 0, d = from; i <= daysBetween(from, to); i++, d = addDays(d, 1)) out.push(this.day(d));
    return out;
  }

  /**
   * The n-th working day after `date` (n > 0), before it (n < 0), or `date` itself when it is a working day
   * and the next working day otherwise (n = 0).
   */
  addWorkingDays(date: string, n: number): string {
    const step = n < 0 ? -1 : 1;
    let d = date;
    let idle = 0;
    if (n === 0) {
      while (!this.isWorkingDay(d)) {
        d = addDays(d, 1);
        if (++idle > MAX_IDLE_DAYS) throw noWorkingTime();
      }
      return d;
    }
    for (let left = Math.abs(n); left > 0; ) {
      d = addDays(d, step);
      if (this.isWorkingDay(d)) {
        left--;
        idle = 0;
      } else if (++idle > MAX_IDLE_DAYS) throw noWorkingTime();
    }
    return d;
  }

  /** The instant `hours` working hours after `at`, walking the working intervals in the calendar's zone. */
  addWorkingHours(at: Date, hours: number): Date {
    let remaining = Math.round(hours * 3_600_000);
    if (remaining <= 0) return new Date(at);
    const t = at.getTime();
    let d = this.dateOf(t);
    for (let idle = 0; idle <= MAX_IDLE_DAYS; d = addDays(d, 1)) {
      const spans = this.spansOf(d);
      let used = false;
      for (const [s, e] of spans) {
        if (e <= t) continue;
        const start = Math.max(s, t);
        used = true;
        if (remaining <= e - start) return new Date(start + remaining);
        remaining -= e - start;
      }
      idle = used ? 0 : idle + 1;
    }
    throw noWorkingTime();
  }

  /** Milliseconds of working time in [a, b); negative when b is before a. */
  workingTimeBetween(a: Date, b: Date): number {
    const ta = a.getTime();
    const tb = b.getTime();
    if (tb < ta) return -this.workingTimeBetween(b, a);
    let total = 0;
    const last = this.dateOf(tb);
    for (let d = this.dateOf(ta); d <= last; d = addDays(d, 1)) {
      for (const [s, e] of this.spansOf(d)) total += Math.max(0, Math.min(e, tb) - Math.max(s, ta));
    }
    return total;
  }
}
