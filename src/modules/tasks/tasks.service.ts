import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit.ts';
import { can, type Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/db.ts';
import { AppError, assertId, notFound } from '../../platform/http/errors.ts';

export interface TaskRow {
  org_id: string;
  id: string;
  kind: string;
  title: string;
  description: string;
  assignee_id: string | null;
  due_at: Date | null;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  urgent: boolean;
  important: boolean;
  status: 'open' | 'done' | 'cancelled';
  outcome: string | null;
  related_type: string | null;
  related_id: string | null;
  completed_at: Date | null;
  created_by: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface NewTask {
  kind: string;
  title: string;
  description?: string;
  assigneeId: string;
  dueAt: Date;
  priority?: TaskRow['priority'];
  urgent?: boolean;
  important?: boolean;
  relatedType?: string;
  relatedId?: string;
}

/**
 * A plain task table: assignee, due time, linked record, outcome. The process-engine work generalizes it with
 * cadences, promises and working-time due dates.
 */
export function makeTasksService(db: Db) {
  return {
    /** Creates a task inside the caller's transaction (e.g. an assignment) and audits it there. */
    async createInTx(tx: Tx, ctx: Ctx, t: NewTask): Promise<TaskRow> {
      const row = (
        await tx.query<TaskRow>(
          `INSERT INTO tasks (org_id, id, kind, title, description, assignee_id, due_at, priority, urgent, important,
             related_type, related_id, created_by)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) RETURNING *`,
          [
            ctx.orgId,
            randomUUID(),
            t.kind,
            t.title,
            t.description ?? '',
            t.assigneeId,
            t.dueAt,
            t.priority ?? 'normal',
            t.urgent ?? false,
            t.important ?? false,
            t.relatedType ?? null,
            t.relatedId ?? null,
            ctx.actor.userId,
          ],
        )
      ).rows[0];
      await recordAudit(tx, ctx, { action: 'task.create', entityType: 'task', entityId: row.id, after: row });
      return row;
    },

    /** Cancels open tasks of a kind on a record (e.g. when a customer is re-assigned), in the caller's transaction. */
    async cancelOpenInTx(tx: Tx, ctx: Ctx, relatedType: string, relatedId: string, kind: string) {
      const rows = (
        await tx.query<TaskRow>(
          `UPDATE tasks SET status = 'cancelled', outcome = 'reassigned', completed_at = now(), version = version + 1, updated_at = now()
           WHERE org_id = $1 AND related_type = $2 AND related_id = $3 AND kind = $4 AND status = 'open' RETURNING *`,
          [ctx.orgId, relatedType, relatedId, kind],
        )
      ).rows;
      for (const r of rows) await recordAudit(tx, ctx, { action: 'task.cancel', entityType: 'task', entityId: r.id, after: r });
    },

    async list(ctx: Ctx, f: { assignee?: string; status?: string; relatedType?: string; relatedId?: string }) {
      const assignee = !f.assignee || f.assignee === 'me' ? ctx.actor.userId : assertId(f.assignee);
      if (assignee !== ctx.actor.userId && !can(ctx.actor, 'task.read.team')) throw new AppError('forbidden');
      const where = ['org_id = $1', 'assignee_id = $2'];
      const params: unknown[] = [ctx.orgId, assignee];
      if (f.status) {
        params.push(f.status);
        where.push(`status = $${params.length}`);
      }
      if (f.relatedType && f.relatedId) {
        params.push(f.relatedType, assertId(f.relatedId));
        where.push(`related_type = $${params.length - 1} AND related_id = $${params.length}`);
      }
      return (
        await db.query<TaskRow>(
          `SELECT * FROM tasks WHERE ${where.join(' AND ')} ORDER BY (status = 'open') DESC, due_at NULLS LAST, created_at LIMIT 500`,
          params,
        )
      ).rows;
    },

    async update(ctx: Ctx, id: string, patch: { status?: 'open' | 'done' | 'cancelled'; outcome?: string }, ifMatch?: number) {
      return db.transaction(async (tx) => {
        const before = (await tx.query<TaskRow>('SELECT * FROM tasks WHERE org_id = $1 AND id = $2', [ctx.orgId, assertId(id)])).rows[0];
        if (!before) throw notFound();
        if (before.assignee_id !== ctx.actor.userId && !can(ctx.actor, 'task.read.team')) throw notFound();
        if (ifMatch !== undefined && ifMatch !== before.version) throw new AppError('stale');
        const status = patch.status ?? before.status;
        const after = (
          await tx.query<TaskRow>(
            `UPDATE tasks SET status = $3, outcome = $4,
               completed_at = CASE WHEN $3 = 'open' THEN NULL WHEN status = 'open' THEN now() ELSE completed_at END,
               version = version + 1, updated_at = now()
             WHERE org_id = $1 AND id = $2 RETURNING *`,
            [ctx.orgId, before.id, status, patch.outcome ?? before.outcome],
          )
        ).rows[0];
        await recordAudit(tx, ctx, { action: status === 'done' && before.status !== 'done' ? 'task.complete' : 'task.update', entityType: 'task', entityId: before.id, before, after });
        return after;
      });
    },
  };
}

export type TasksService = ReturnType<typeof makeTasksService>;
