import type { BusinessCalendar } from './business-calendar.ts';
import { addDays, type Interval, minutesOf } from './calendar.types.ts';

export interface ContactSlotOptions {
  /** Never earlier than this instant. */
  notBefore?: Date;
  /** A previous (unreached) attempt: the slot must lie in a different working interval of the day than this one. */
  differentSlotFrom?: Date;
  /** The slot must be on a working day after the previous attempt's day (or after `after`'s day without one). */
  laterWorkingDay?: boolean;
}

const SEARCH_DAYS = 400;

/** Quiet intervals of one day in minutes; one that wraps midnight covers the evening and the early morning. */
function quietMinutes(quiet: Interval[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [s, e] of quiet) {
    const a = minutesOf(s);
    const b = minutesOf(e);
    if (a < b) out.push([a, b]);
    else if (a > b) out.push([a, 1440], [0, b]);
  }
  return out;
}

/** [s, e) minus every quiet interval. */
function subtract(s: number, e: number, quiet: Array<[number, number]>): Array<[number, number]> {
  let parts: Array<[number, number]> = [[s, e]];
  for (const [qs, qe] of quiet) {
    parts = parts.flatMap(([ps, pe]): Array<[number, number]> => {
      if (qe <= ps || qs >= pe) return [[ps, pe]];
      const out: Array<[number, number]> = [];
      if (qs > ps) out.push([ps, qs]);
      if (qe < pe) out.push([qe, pe]);
      return out;
    });
  }
  return parts;
}

/**
 * The first instant ≥ `after` that lies inside working hours of a working day and outside the customer's quiet
 * hours (theirs when given, else the org's default). For a retry (`differentSlotFrom` + `laterWorkingDay`) it
 * picks a later working day and a working interval (morning vs afternoon) other than the previous attempt's;
 * when no such interval exists (the customer's quiet hours leave only one), the different-interval rule is
 * dropped rather than never calling. Null when there is no contactable time within about a year.
 */
export function nextContactSlot(
  cal: BusinessCalendar,
  customerQuiet: Interval[] | null,
  after: Date,
  opts: ContactSlotOptions = {},
): Date | null {
  const quiet = quietMinutes(customerQuiet ?? cal.quietHours);
  const start = Math.max(after.getTime(), opts.notBefore?.getTime() ?? -Infinity);
  const prev = opts.differentSlotFrom?.getTime();
  const dayAfter = opts.laterWorkingDay ? cal.dateOf(prev ?? after.getTime()) : null;
  let band: [number, number] | null = null;
  if (prev !== undefined) {
    const m = cal.minuteOf(prev);
    const hit = cal
      .day(cal.dateOf(prev))
      .hours.map(([s, e]): [number, number] => [minutesOf(s), minutesOf(e)])
      .find(([s, e]) => s <= m && m < e);
    band = hit ?? [m, m];
  }
  const overlapsBand = (s: number, e: number) =>
    band !== null && (band[0] === band[1] ? s <= band[0] && band[0] < e : s < band[1] && band[0] < e);

  for (const differentSlot of band ? [true, false] : [false]) {
    let d = cal.dateOf(start);
    if (dayAfter && d <= dayAfter) d = addDays(dayAfter, 1);
    for (let i = 0; i < SEARCH_DAYS; i++, d = addDays(d, 1)) {
      const info = cal.day(d);
      if (!info.working) continue;
      for (const [s, e] of info.hours) {
        const sm = minutesOf(s);
        const em = minutesOf(e);
        if (differentSlot && overlapsBand(sm, em)) continue;
        for (const [fs, fe] of subtract(sm, em, quiet)) {
          const from = cal.instantOf(d, fs);
          const to = cal.instantOf(d, fe);
          if (to <= start) continue;
          return new Date(Math.max(from, start));
        }
      }
    }
  }
  return null;
}
