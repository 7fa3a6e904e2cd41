import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/db.ts';
import { cancelTimers, scheduleTimer } from '../../platform/jobs/timers.ts';
import type { Duration, ProcessDefinition } from './definition.schema.ts';
import type { WorkingClock } from './ports.ts';
import { type ClockRow, type InstanceRow, processesRepo as repo } from './processes.repo.ts';

export type SlaDef = ProcessDefinition['slas'][number];
export const SLA_TIMER_KINDS = ['sla.warn', 'sla.breach'];

const isWorking = (d: Duration | Record<string, number>) => 'workingHours' in d || 'workingDays' in d;

/**
 * SLA clocks: a target in working or calendar time, started/paused/stopped by states and events. Due and
 * warning instants are durable timers keyed by (clock, kind, due instant); pausing cancels them and keeps what
 * was left of the target; resuming schedules them anew from the remainder.
 */
export function makeClocks(clock: WorkingClock) {
  const span = async (tx: Tx, orgId: string, target: Record<string, number>, from: Date, to: Date) =>
    isWorking(target) ? clock.workingMsBetween(tx, orgId, from, to) : to.getTime() - from.getTime();
  const advance = async (tx: Tx, orgId: string, target: Record<string, number>, from: Date, ms: number) =>
    isWorking(target) ? clock.addWorkingMs(tx, orgId, from, ms) : new Date(from.getTime() + ms);

  async function schedule(tx: Tx, c: ClockRow, sla: SlaDef) {
    if (!c.due_at) return;
    await scheduleTimer(tx, {
      orgId: c.org_id,
      key: `sla:${c.id}:breach:${c.due_at.toISOString()}`,
      kind: 'sla.breach',
      dueAt: c.due_at,
      refType: 'sla_clock',
      refId: c.id,
      payload: { dueAt: c.due_at.toISOString() },
    });
    if (c.warn_at && !c.warned_at && sla.warnAtPercent) {
      await scheduleTimer(tx, {
        orgId: c.org_id,
        key: `sla:${c.id}:warn:${c.warn_at.toISOString()}`,
        kind: 'sla.warn',
        dueAt: c.warn_at,
        refType: 'sla_clock',
        refId: c.id,
        payload: { warnAt: c.warn_at.toISOString() },
      });
    }
  }

  async function save(
    tx: Tx,
    ctx: Ctx,
    before: ClockRow | null,
    patch: Partial<ClockRow> & { id: string },
    action: string,
    opts: { buffered?: boolean } = {},
  ) {
    const { id, ...changes } = patch;
    // Timer handlers write at commit with the batch's other clocks (before is the current row, locked).
    const after =
      opts.buffered && before
        ? repo.bufferClockUpdate(tx, before, changes)
        : await repo.updateClock(tx, ctx.orgId, id, changes);
    await recordAudit(tx, ctx, { action, entityType: 'sla_clock', entityId: after.id, before, after });
    return after;
  }

  return {
    async start(tx: Tx, ctx: Ctx, inst: InstanceRow, sla: SlaDef, at: Date): Promise<ClockRow> {
      const target = sla.target as Record<string, number>;
      const due = await clock.add(tx, ctx.orgId, at, sla.target);
      const total = await span(tx, ctx.orgId, target, at, due);
      const warn = sla.warnAtPercent
        ? await advance(tx, ctx.orgId, target, at, Math.round((total * sla.warnAtPercent) / 100))
        : null;
      const existing = await repo.lockClockOfInstance(tx, ctx.orgId, inst.id, sla.key);
      if (
        existing &&
        (existing.status === 'running' ||
          existing.status === 'paused' ||
          existing.status === 'breached_running')
      )
        return existing;
      let row: ClockRow;
      if (existing) {
        // Started again (e.g. a reopened case): a fresh run of the same clock.
        row = await save(
          tx,
          ctx,
          existing,
          {
            id: existing.id,
            status: 'running',
            started_at: at,
            due_at: due,
            warn_at: warn,
            total_ms: total,
            remaining_ms: null,
            paused_at: null,
            warned_at: null,
            breached_at: null,
            stopped_at: null,
          },
          'sla.restart',
        );
      } else {
        row = await repo.insertClock(tx, {
          orgId: ctx.orgId,
          id: randomUUID(),
          instanceId: inst.id,
          clockKey: sla.key,
          target,
          startedAt: at,
          dueAt: due,
          warnAt: warn,
          totalMs: total,
        });
        await recordAudit(tx, ctx, {
          action: 'sla.start',
          entityType: 'sla_clock',
          entityId: row.id,
          after: row,
          meta: { instanceId: inst.id },
        });
      }
      await schedule(tx, row, sla);
      return row;
    },

    async pause(tx: Tx, ctx: Ctx, c: ClockRow, at: Date) {
      if (c.status !== 'running' || !c.due_at) return c;
      const remaining = Math.max(0, await span(tx, ctx.orgId, c.target, at, c.due_at));
      await cancelTimers(tx, ctx.orgId, c.id, SLA_TIMER_KINDS);
      return save(
        tx,
        ctx,
        c,
        { id: c.id, status: 'paused', paused_at: at, remaining_ms: remaining },
        'sla.pause',
      );
    },

    async resume(tx: Tx, ctx: Ctx, c: ClockRow, sla: SlaDef, at: Date) {
      if (c.status !== 'paused') return c;
      const remaining = Number(c.remaining_ms ?? 0);
      const due = await advance(tx, ctx.orgId, c.target, at, remaining);
      let warn: Date | null = null;
      if (sla.warnAtPercent && !c.warned_at) {
        const untilWarn = remaining - Math.round((Number(c.total_ms) * (100 - sla.warnAtPercent)) / 100);
        if (untilWarn > 0) warn = await advance(tx, ctx.orgId, c.target, at, untilWarn);
      }
      const row = await save(
        tx,
        ctx,
        c,
        { id: c.id, status: 'running', paused_at: null, remaining_ms: null, due_at: due, warn_at: warn },
        'sla.resume',
      );
      await schedule(tx, row, sla);
      return row;
    },

    async stop(tx: Tx, ctx: Ctx, c: ClockRow, at: Date) {
      if (c.status === 'met' || c.status === 'breached' || c.status === 'cancelled') return c;
      await cancelTimers(tx, ctx.orgId, c.id, SLA_TIMER_KINDS);
      const status = c.status === 'breached_running' ? 'breached' : 'met';
      return save(
        tx,
        ctx,
        c,
        { id: c.id, status, stopped_at: at },
        status === 'met' ? 'sla.met' : 'sla.stop',
      );
    },

    /** The process was cancelled: the clock neither met nor breached its target. */
    async cancel(tx: Tx, ctx: Ctx, c: ClockRow, at: Date) {
      if (c.status === 'met' || c.status === 'breached' || c.status === 'cancelled') return c;
      await cancelTimers(tx, ctx.orgId, c.id, SLA_TIMER_KINDS);
      return save(tx, ctx, c, { id: c.id, status: 'cancelled', stopped_at: at }, 'sla.cancel');
    },

    async markBreached(tx: Tx, ctx: Ctx, c: ClockRow) {
      return save(tx, ctx, c, { id: c.id, status: 'breached_running', breached_at: c.due_at }, 'sla.breach', {
        buffered: true,
      });
    },

    async markWarned(tx: Tx, ctx: Ctx, c: ClockRow, at: Date) {
      return save(tx, ctx, c, { id: c.id, warned_at: at }, 'sla.warn', { buffered: true });
    },
  };
}

export type Clocks = ReturnType<typeof makeClocks>;
