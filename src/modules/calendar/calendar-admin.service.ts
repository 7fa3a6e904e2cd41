import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { type Db, PgCode, pgErrorCode } from '../../platform/db/db.ts';
import type { PageRequest } from '../../platform/db/paging.ts';
import { AppError, assertId, notFound } from '../../platform/http/errors.ts';
import { authorize } from './calendar.policy.ts';
import { type OverrideRow, calendarRepo as repo } from './calendar.repo.ts';
import type { OverrideInput, SettingsInput } from './calendar.schemas.ts';
import type { CalendarCore } from './calendar.service.ts';

/** Changing an org's calendar: settings and dated overrides. Each write is audited in its transaction. */
export function makeCalendarAdmin(db: Db, core: CalendarCore) {
  /** Runs a write, then drops the cached calendar of the org; a unique violation means someone got there first. */
  async function write<T>(ctx: Ctx, fn: () => Promise<T>, onUnique: AppError): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (pgErrorCode(err) === PgCode.uniqueViolation) throw onUnique;
      throw err;
    } finally {
      core.invalidate(ctx.orgId);
    }
  }

  return {
    async updateSettings(ctx: Ctx, input: SettingsInput, ifMatch?: number) {
      authorize(ctx, 'calendar.manage');
      const values = {
        time_zone: input.timeZone,
        working_hours: input.workingHours,
        scoped_hours: input.scopedHours,
        quiet_hours: input.quietHours,
      };
      await write(
        ctx,
        () =>
          db.transaction(async (tx) => {
            const before = await repo.settings(tx, ctx.orgId, { forUpdate: true });
            if (ifMatch !== undefined && ifMatch !== (before?.version ?? 0)) throw new AppError('stale');
            const after = before
              ? await repo.updateSettings(tx, ctx.orgId, values)
              : await repo.insertSettings(tx, { org_id: ctx.orgId, id: randomUUID(), ...values });
            await recordAudit(tx, ctx, {
              action: 'calendar.settings.update',
              entityType: 'calendar_settings',
              entityId: after.id,
              before: before ?? null,
              after,
            });
          }),
        new AppError('stale'),
      );
      return core.settings(ctx);
    },

    async listOverrides(ctx: Ctx, f: { from?: string; to?: string; scope?: string }, page: PageRequest) {
      authorize(ctx, 'calendar.read');
      return repo.overridesPage(db, ctx.orgId, f, page);
    },

    async createOverride(ctx: Ctx, input: OverrideInput): Promise<OverrideRow> {
      authorize(ctx, 'calendar.manage');
      const taken = () =>
        new AppError('conflict', { fields: { date: { key: 'validation.override_exists' } } });
      return write(
        ctx,
        () =>
          db.transaction(async (tx) => {
            if (await repo.overrideOn(tx, ctx.orgId, input.date, input.scope ?? null)) throw taken();
            const row = await repo.insertOverride(tx, {
              org_id: ctx.orgId,
              id: randomUUID(),
              date: input.date,
              kind: input.kind,
              hours: input.hours ?? null,
              name: input.name,
              scope: input.scope ?? null,
              created_by: ctx.actor.userId,
            });
            await recordAudit(tx, ctx, {
              action: 'calendar.override.create',
              entityType: 'calendar_override',
              entityId: row.id,
              after: row,
            });
            return row;
          }),
        taken(),
      );
    },

    async deleteOverride(ctx: Ctx, id: string) {
      authorize(ctx, 'calendar.manage');
      const oid = assertId(id);
      await write(
        ctx,
        () =>
          db.transaction(async (tx) => {
            const before = await repo.override(tx, ctx.orgId, oid);
            if (!before) throw notFound();
            await repo.deleteOverride(tx, ctx.orgId, oid);
            await recordAudit(tx, ctx, {
              action: 'calendar.override.delete',
              entityType: 'calendar_override',
              entityId: oid,
              before,
              after: null,
            });
          }),
        new AppError('conflict'),
      );
    },
  };
}
