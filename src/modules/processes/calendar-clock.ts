import type { Queryable } from '../../platform/db/db.ts';
import { type CalendarService, type Interval, nextContactSlot } from '../calendar/index.ts';
import type { Duration } from './definition.schema.ts';
import type { WorkingClock } from './ports.ts';

/** The engine's working-time arithmetic over the calendar module (org time zone, holidays, 调休, overrides). */
export function calendarClock(
  calendar: CalendarService,
  quietHoursOf: (q: Queryable, orgId: string, customerId: string) => Promise<Interval[] | null>,
): WorkingClock {
  const cal = (q: Queryable, orgId: string) => calendar.calendarFor(orgId, null, q);
  return {
    async add(q, orgId, from, d: Duration) {
      if (d.minutes) return new Date(from.getTime() + d.minutes * 60_000);
      if (d.hours) return new Date(from.getTime() + d.hours * 3_600_000);
      if (d.days) return new Date(from.getTime() + d.days * 86_400_000);
      const c = await cal(q, orgId);
      if (d.workingHours) return c.addWorkingHours(from, d.workingHours);
      // n working days later, at the same local time of day.
      const date = c.addWorkingDays(c.dateOf(from), d.workingDays ?? 0);
      const minute = c.minuteOf(from.getTime());
      return new Date(
        c.instantOf(date, Math.floor(minute)) + Math.round((minute - Math.floor(minute)) * 60_000),
      );
    },
    async addWorkingMs(q, orgId, from, ms) {
      return (await cal(q, orgId)).addWorkingHours(from, ms / 3_600_000);
    },
    async workingMsBetween(q, orgId, a, b) {
      return (await cal(q, orgId)).workingTimeBetween(a, b);
    },
    async nextContactSlot(q, orgId, customerId, after, opts = {}) {
      const c = await cal(q, orgId);
      const quiet = customerId ? await quietHoursOf(q, orgId, customerId) : null;
      return nextContactSlot(c, quiet, after, opts) ?? after;
    },
  };
}
