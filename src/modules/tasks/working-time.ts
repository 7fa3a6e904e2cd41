import { DateTime } from 'luxon';
import type { Queryable } from '../../platform/db/db.ts';

/** An offset in working time (working hours/days follow the org's business calendar) or in plain time. */
export interface Offset {
  workingHours?: number;
  workingDays?: number;
  hours?: number;
  days?: number;
}

/**
 * What the tasks module needs from the business calendar. Every call takes the Queryable to read through, so it
 * works inside a transaction (a timer handler, a task completion) as well as outside one.
 */
export interface WorkingTime {
  add(q: Queryable, orgId: string, from: Date, d: Offset): Promise<Date>;
  timeZone(q: Queryable, orgId: string): Promise<string>;
}

/**
 * A calendar-free stand-in: Monday–Friday, 09:00–18:00 in the org's time zone, no holidays. Used when no
 * business calendar is wired in (and by unit tests that want fixed arithmetic).
 */
export function plainWorkingTime(timeZoneOf: (q: Queryable, orgId: string) => Promise<string>): WorkingTime {
  const START = 9;
  const END = 18;
  const isWorkday = (d: DateTime) => d.weekday <= 5;
  return {
    timeZone: timeZoneOf,
    async add(q, orgId, from, d) {
      const zone = await timeZoneOf(q, orgId);
      let t = DateTime.fromJSDate(from, { zone });
      if (d.days) t = t.plus({ days: d.days });
      if (d.hours) t = t.plus({ hours: d.hours });
      if (d.workingDays) {
        let n = d.workingDays;
        while (n > 0) {
          t = t.plus({ days: 1 });
          if (isWorkday(t)) n--;
        }
      }
      if (d.workingHours) {
        let left = d.workingHours * 60;
        for (let guard = 0; left > 0 && guard < 10_000; guard++) {
          const dayStart = t.set({ hour: START, minute: 0, second: 0, millisecond: 0 });
          const dayEnd = t.set({ hour: END, minute: 0, second: 0, millisecond: 0 });
          if (!isWorkday(t) || t >= dayEnd) {
            t = t.plus({ days: 1 }).set({ hour: START, minute: 0, second: 0, millisecond: 0 });
            continue;
          }
          if (t < dayStart) t = dayStart;
          const avail = dayEnd.diff(t, 'minutes').minutes;
          const use = Math.min(avail, left);
          t = t.plus({ minutes: use });
          left -= use;
        }
      }
      return t.toJSDate();
    },
  };
}

/** The org-local calendar day [start, end) of a YYYY-MM-DD date, as instants. */
export function dayBounds(date: string, zone: string): { start: Date; end: Date } {
  const start = DateTime.fromISO(date, { zone }).startOf('day');
  return { start: start.toJSDate(), end: start.plus({ days: 1 }).toJSDate() };
}

/** Today's date (YYYY-MM-DD) in a time zone. */
export function todayIn(zone: string, now = new Date()): string {
  return DateTime.fromJSDate(now, { zone }).toISODate() ?? now.toISOString().slice(0, 10);
}

/** The part of the business calendar this module uses (the calendar module's `calendarFor`). */
export interface CalendarLike {
  calendarFor(
    orgId: string,
    scope: string | null | undefined,
    q: Queryable,
  ): Promise<{
    timeZone: string;
    addWorkingHours(at: Date, hours: number): Date;
    addWorkingDays(date: string, n: number): string;
    dateOf(at: number | Date): string;
  }>;
}

/** Working time from the org's business calendar: working hours walk its intervals; working days keep the time of day. */
export function calendarWorkingTime(calendar: CalendarLike): WorkingTime {
  return {
    async timeZone(q, orgId) {
      return (await calendar.calendarFor(orgId, null, q)).timeZone;
    },
    async add(q, orgId, from, d) {
      const cal = await calendar.calendarFor(orgId, null, q);
      let t = DateTime.fromJSDate(from, { zone: cal.timeZone });
      if (d.days) t = t.plus({ days: d.days });
      if (d.hours) t = t.plus({ hours: d.hours });
      if (d.workingDays) {
        const date = DateTime.fromISO(cal.addWorkingDays(cal.dateOf(t.toJSDate()), d.workingDays), {
          zone: cal.timeZone,
        });
        t = t.set({ year: date.year, month: date.month, day: date.day });
      }
      if (d.workingHours)
        t = DateTime.fromJSDate(cal.addWorkingHours(t.toJSDate(), d.workingHours), { zone: cal.timeZone });
      return t.toJSDate();
    },
  };
}
