import { DateTime } from 'luxon';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Queryable } from '../../platform/db/db.ts';
import { fieldError } from '../../platform/http/errors.ts';
import { BusinessCalendar } from './business-calendar.ts';
import { authorize } from './calendar.policy.ts';
import { calendarRepo as repo, type SettingsRow } from './calendar.repo.ts';
import {
  type CalendarData,
  DEFAULT_QUIET_HOURS,
  DEFAULT_WORKING_HOURS,
  daysBetween,
  type Interval,
} from './calendar.types.ts';
import { nextContactSlot } from './contact-slot.ts';
import { officialDaysRepo } from './official-days.repo.ts';
import { coverage } from './official-days.ts';

export interface CalendarDeps {
  /** The org's time zone (orgs.time_zone), used until calendar settings are saved. */
  orgTimeZone(orgId: string, q: Queryable): Promise<string>;
  /** A customer's own quiet hours (null: the org default); 404 when the actor may not see the customer. */
  customerQuietHours(ctx: Ctx, customerId: string): Promise<Interval[] | null>;
}

/** Calendars change rarely: each process keeps an org's for a while; a change in this process drops it at once. */
const CACHE_TTL_MS = 30_000;
const MAX_DAYS = 400;

interface Cached {
  at: number;
  data: CalendarData;
  version: number;
  byScope: Map<string, BusinessCalendar>;
}

/** An instant from a query value: with an offset as given, without one in the org's zone; a date is its 00:00. */
export function parseInstant(value: string, zone: string, field: string): Date {
  const dt = DateTime.fromISO(value.replace(' ', 'T'), { zone });
  if (!dt.isValid) throw fieldError(field, 'validation.datetime');
  return dt.toJSDate();
}

const isDateOnly = (s: string) => s.length === 10;

export function makeCalendarCore(db: Db, deps: CalendarDeps) {
  const cache = new Map<string, Cached>();

  async function load(orgId: string, q: Queryable): Promise<Cached> {
    const hit = cache.get(orgId);
    if (hit && Date.now() - hit.at < CACHE_TTL_MS) return hit;
    const settings = await repo.settings(q, orgId);
    const overrides = await repo.overrides(q, orgId);
    const importedYears = await officialDaysRepo.years(q, orgId);
    const importedDays = importedYears.length ? await officialDaysRepo.days(q, orgId) : [];
    const data: CalendarData = {
      timeZone: settings?.time_zone ?? (await deps.orgTimeZone(orgId, q)),
      workingHours: settings?.working_hours ?? DEFAULT_WORKING_HOURS,
      scopedHours: settings?.scoped_hours ?? {},
      quietHours: settings?.quiet_hours ?? DEFAULT_QUIET_HOURS,
      overrides: overrides.map((o) => ({
        date: o.date,
        kind: o.kind,
        hours: o.hours,
        name: o.name,
        scope: o.scope,
      })),
      importedOfficial: {
        years: importedYears.map((y) => y.year),
        days: Object.fromEntries(importedDays.map((d) => [d.date, { kind: d.kind, name: d.name }])),
      },
    };
    if (cache.size > 1000) cache.clear();
    const entry = {
      at: Date.now(),
      data,
      version: settings?.version ?? 0,
      byScope: new Map<string, BusinessCalendar>(),
    };
    cache.set(orgId, entry);
    return entry;
  }

  /**
   * The calendar of an org (or of one scope in it: a shop, a branch), for any module that computes due dates.
   * Pass the transaction when calling from inside one.
   */
  async function calendarFor(
    orgId: string,
    scope?: string | null,
    q: Queryable = db,
  ): Promise<BusinessCalendar> {
    const entry = await load(orgId, q);
    const key = scope ?? '';
    let cal = entry.byScope.get(key);
    if (!cal) {
      cal = new BusinessCalendar(entry.data, scope ?? null);
      entry.byScope.set(key, cal);
    }
    return cal;
  }

  return {
    calendarFor,
    invalidate: (orgId: string) => void cache.delete(orgId),

    async settings(ctx: Ctx) {
      authorize(ctx, 'calendar.read');
      const { data, version } = await load(ctx.orgId, db);
      return {
        timeZone: data.timeZone,
        workingHours: data.workingHours,
        scopedHours: data.scopedHours,
        quietHours: data.quietHours,
        coverage: coverage(),
        version,
      };
    },

    async add(ctx: Ctx, q: { from: string; workingDays?: number; workingHours?: number; scope?: string }) {
      authorize(ctx, 'calendar.read');
      const cal = await calendarFor(ctx.orgId, q.scope);
      if (q.workingDays !== undefined) {
        if (!isDateOnly(q.from)) throw fieldError('from', 'validation.date');
        return { date: cal.addWorkingDays(q.from, q.workingDays) };
      }
      const at = cal.addWorkingHours(parseInstant(q.from, cal.timeZone, 'from'), q.workingHours ?? 0);
      return { at: at.toISOString(), local: localIso(at, cal.timeZone) };
    },

    async days(ctx: Ctx, q: { from: string; to: string; scope?: string }) {
      authorize(ctx, 'calendar.read');
      const span = daysBetween(q.from, q.to);
      if (span < 0) throw fieldError('to', 'validation.date_order');
      if (span >= MAX_DAYS) throw fieldError('to', 'validation.date_range', { max: MAX_DAYS });
      return (await calendarFor(ctx.orgId, q.scope)).days(q.from, q.to);
    },

    async between(ctx: Ctx, q: { from: string; to: string; scope?: string }) {
      authorize(ctx, 'calendar.read');
      const cal = await calendarFor(ctx.orgId, q.scope);
      const a = parseInstant(q.from, cal.timeZone, 'from');
      const b = parseInstant(q.to, cal.timeZone, 'to');
      if (Math.abs(b.getTime() - a.getTime()) > 10 * 366 * 86_400_000)
        throw fieldError('to', 'validation.date_range', { max: 3660 });
      const workingMs = cal.workingTimeBetween(a, b);
      return { workingMs, workingHours: workingMs / 3_600_000 };
    },

    async contactSlot(
      ctx: Ctx,
      q: {
        after?: string;
        customerId?: string;
        notBefore?: string;
        differentSlotFrom?: string;
        laterWorkingDay?: 'true' | 'false';
        scope?: string;
      },
    ) {
      authorize(ctx, 'calendar.read');
      const cal = await calendarFor(ctx.orgId, q.scope);
      const own = q.customerId ? await deps.customerQuietHours(ctx, q.customerId) : null;
      const quietHours = own ?? cal.quietHours;
      const at = nextContactSlot(
        cal,
        own,
        q.after ? parseInstant(q.after, cal.timeZone, 'after') : new Date(),
        {
          notBefore: q.notBefore ? parseInstant(q.notBefore, cal.timeZone, 'notBefore') : undefined,
          differentSlotFrom: q.differentSlotFrom
            ? parseInstant(q.differentSlotFrom, cal.timeZone, 'differentSlotFrom')
            : undefined,
          laterWorkingDay: q.laterWorkingDay === 'true',
        },
      );
      return {
        at: at ? at.toISOString() : null,
        local: at ? localIso(at, cal.timeZone) : null,
        quietHours,
        quietHoursOf: own ? ('customer' as const) : ('org' as const),
      };
    },
  };
}

export function localIso(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toISO({ suppressMilliseconds: true }) as string;
}

export type CalendarCore = ReturnType<typeof makeCalendarCore>;
export type { SettingsRow };
