import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { recordAudit } from '../../platform/audit/audit.ts';
import { type Ctx, systemCtx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/db.ts';
import { LOCALES, type Locale, t } from '../../platform/i18n/i18n.ts';
import { authorize } from './calendar.policy.ts';
import type { CalendarCore } from './calendar.service.ts';
import { parseHolidayFile } from './holiday-file.ts';
import { officialDaysRepo as repo } from './official-days.repo.ts';
import { coverage } from './official-days.ts';

/** What the holiday warning needs from other modules (wired in kept.ts). */
export interface HolidayDeps {
  /** Every org, for the daily check. */
  orgIds(): Promise<string[]>;
  /** Tells the org's calendar managers, inside the caller's transaction (in-app and by their preferences). */
  notifyCalendarManagers(
    tx: Tx,
    ctx: Ctx,
    n: { kind: string; title: Record<Locale, string>; body: Record<Locale, string>; link: string },
  ): Promise<void>;
}

export interface HolidayStatus {
  /** The last year of the built-in (chinese-days) data. */
  builtinLastYear: number;
  importedYears: number[];
  /** Today's year in the org's time zone. */
  year: number;
  /** A year whose table is missing and should be imported now (this year, or next year from November 1), or null. */
  missingYear: number | null;
}

const localized = (key: string, vars: Record<string, unknown>) =>
  Object.fromEntries(LOCALES.map((l) => [l, t(l, key, vars)])) as Record<Locale, string>;

/**
 * Official holiday tables per org: an admin imports a year (CSV or ICS) that replaces the built-in data of that
 * year; from November 1 (org time zone) admins are warned once when next year's table is missing.
 */
export function makeHolidayAdmin(db: Db, core: CalendarCore, deps?: HolidayDeps) {
  async function status(orgId: string, now: Date): Promise<HolidayStatus> {
    const cal = await core.calendarFor(orgId);
    const local = DateTime.fromJSDate(now, { zone: cal.timeZone });
    const importedYears = (await repo.years(db, orgId)).map((y) => y.year);
    const has = (y: number) => y <= coverage() || importedYears.includes(y);
    const missingYear = !has(local.year)
      ? local.year
      : local.month >= 11 && !has(local.year + 1)
        ? local.year + 1
        : null;
    return { builtinLastYear: coverage(), importedYears, year: local.year, missingYear };
  }

  return {
    /** The org's holiday data: which years are built in, which imported, and what is missing now. */
    async holidayStatus(ctx: Ctx, now = new Date()) {
      authorize(ctx, 'calendar.read');
      const s = await status(ctx.orgId, now);
      const years = await repo.years(db, ctx.orgId);
      return {
        ...s,
        imports: years.map((y) => ({
          year: y.year,
          source: y.source,
          days: y.days,
          importedAt: y.updated_at.toISOString(),
        })),
      };
    },

    /**
     * Imports one year's official table (CSV `date,kind,name` or ICS), replacing the org's official days of that
     * year. A bad line is a 422 naming it; nothing is written then.
     */
    async importHolidays(ctx: Ctx, input: { content: string; filename?: string }) {
      authorize(ctx, 'calendar.manage');
      const table = parseHolidayFile(input.content, input.filename);
      try {
        return await db.transaction(async (tx) => {
          const before = await repo.lockYear(tx, ctx.orgId, table.year);
          const values = { source: table.source, days: table.days.length, importedBy: ctx.actor.userId };
          let after = before
            ? await repo.updateYear(tx, ctx.orgId, before.id, values)
            : await repo.insertYear(tx, { orgId: ctx.orgId, id: randomUUID(), year: table.year, ...values });
          if (!after) after = before;
          if (before) await repo.deleteDaysOfYear(tx, ctx.orgId, before.id);
          await repo.insertDays(tx, ctx.orgId, after.id, table.days);
          await recordAudit(tx, ctx, {
            action: 'calendar.holidays.import',
            entityType: 'calendar_official_year',
            entityId: after.id,
            before: before ?? null,
            after,
            meta: {
              year: table.year,
              source: table.source,
              holidays: table.days.filter((d) => d.kind === 'holiday').length,
              adjustedWorkdays: table.days.filter((d) => d.kind === 'adjusted_workday').length,
              filename: input.filename ?? null,
            },
          });
          return {
            year: table.year,
            source: table.source,
            days: table.days.length,
            holidays: table.days.filter((d) => d.kind === 'holiday').length,
            adjustedWorkdays: table.days.filter((d) => d.kind === 'adjusted_workday').length,
            replaced: before ? before.days : 0,
          };
        });
      } finally {
        core.invalidate(ctx.orgId);
      }
    },

    /**
     * The daily check (the worker runs it): for each org whose table for this year, or from November 1 next year,
     * is missing, its calendar managers are notified once per year. Returns the orgs notified.
     */
    async warnMissingHolidays(now = new Date()): Promise<number> {
      if (!deps) return 0;
      let warned = 0;
      for (const orgId of await deps.orgIds()) {
        const { missingYear } = await status(orgId, now);
        if (missingYear === null) continue;
        const ctx = systemCtx(orgId, { name: 'holiday check', requestId: `holidays-${missingYear}` });
        await db.transaction(async (tx) => {
          if (!(await repo.claimWarning(tx, orgId, missingYear))) return;
          await deps.notifyCalendarManagers(tx, ctx, {
            kind: 'calendar.holidays_missing',
            title: localized('holidays.missing_title', { year: missingYear }),
            body: localized('holidays.missing_body', { year: missingYear }),
            link: '/admin/calendar',
          });
          warned++;
        });
      }
      return warned;
    },
  };
}
