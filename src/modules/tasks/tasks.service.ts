import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Queryable, Tx } from '../../platform/db/db.ts';
import type { PageRequest } from '../../platform/db/paging.ts';
import { emit, eventView } from '../../platform/events/events.ts';
import { AppError, assertId, fieldError, notFound } from '../../platform/http/errors.ts';
import type { RecordRegistry } from '../../platform/records/registry.ts';
import type { IdentityService } from '../identity/index.ts';
import { makeTaskTypesService } from './task-types.service.ts';
import { allowed, authorize, inWorkScope, workScope } from './tasks.policy.ts';
import { type Quadrant, type TaskRow, tasksRepo } from './tasks.repo.ts';

export type { TaskRow } from './tasks.repo.ts';

export interface NewTask {
  kind: string;
  title: string;
  description?: string;
  assigneeId: string;
  dueAt: Date | null;
  priority?: TaskRow['priority'];
  urgent?: boolean;
  important?: boolean;
  relatedType?: string | null;
  relatedId?: string | null;
  channel?: string | null;
  sourceType?: string | null;
  sourceId?: string | null;
}

export interface TaskCreateInput {
  /** The task type (task_types): 'general' when omitted; a coded type (call_back) completes with its codes. */
  kind?: string;
  title: string;
  description?: string;
  assigneeId?: string;
  dueAt?: string | null;
  priority?: TaskRow['priority'];
  urgent?: boolean;
  important?: boolean;
  relatedType?: string;
  relatedId?: string;
}

export interface TaskPatch {
  title?: string;
  description?: string;
  assigneeId?: string;
  dueAt?: string | null;
  priority?: TaskRow['priority'];
  urgent?: boolean;
  important?: boolean;
  status?: TaskRow['status'];
  outcome?: string;
  /** With status done on a task whose type codes its outcomes: one of the type's codes (required then). */
  outcomeCode?: string;
}

export interface TaskListQuery {
  assignee?: string;
  status?: TaskRow['status'];
  dueBefore?: string;
  dueAfter?: string;
  quadrant?: Quadrant;
  overdue?: boolean;
  relatedType?: string;
  relatedId?: string;
  kind?: string;
  priority?: TaskRow['priority'];
}

/** Called inside the transaction that closes a task (done or cancelled by its assignee), e.g. to advance a cadence. */
export type TaskClosedListener = (tx: Tx, ctx: Ctx, before: TaskRow, after: TaskRow) => Promise<void>;

type Identity = Pick<IdentityService, 'directory' | 'usersByIds' | 'teamMemberIds'>;

const taskRef = (t: TaskRow) => ({ type: 'task', id: t.id });
const relatedOf = (t: TaskRow) =>
  t.related_type && t.related_id ? { type: t.related_type, id: t.related_id } : null;

/** Records a task event: about the task, heard on its related record too (e.g. P1 on the customer). */
async function emitTask(tx: Tx, ctx: Ctx, type: string, row: TaskRow, extra: Record<string, unknown> = {}) {
  await emit(tx, ctx, {
    type,
    record: taskRef(row),
    related: relatedOf(row),
    data: { task: eventView(row), ...extra },
  });
}

function instant(field: string, v: string | null | undefined): Date | null | undefined {
  if (v === undefined || v === null) return v;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw fieldError(field, 'validation.invalid');
  return d;
}

/**
 * Tasks: assignee, due time, priority, urgent/important flags, linked record, outcome. Cadence steps and broken
 * promises create tasks through createInTx; closing a task tells the listeners (cadences) in the same transaction.
 */
export function makeTasksService(db: Db, deps: { identity?: Identity; records?: RecordRegistry } = {}) {
  const listeners: TaskClosedListener[] = [];
  const types = makeTaskTypesService(db);

  /** The display titles of the tasks' linked records the actor may see (`type:id` → title); others have none. */
  async function relatedTitles(ctx: Ctx, rows: TaskRow[]): Promise<Map<string, string>> {
    const refs = rows.flatMap((t) => (t.related_type && t.related_id ? [relatedOf(t)!] : []));
    const out = new Map<string, string>();
    if (!refs.length || !deps.records) return out;
    for (const [k, r] of await deps.records.visibleRefs(db, ctx, refs)) out.set(k, r.title);
    return out;
  }

  /** Assigning to someone else needs task.read.team, and they must be within the actor's scope. */
  async function ensureAssignee(q: Queryable, ctx: Ctx, id: string) {
    if (id === ctx.actor.userId) return id;
    authorize(ctx, 'work.team');
    const uid = assertIdOr422('assigneeId', id);
    if (deps.identity) {
      const u = (await deps.identity.usersByIds(ctx.orgId, [uid], q))[0];
      if (u?.status !== 'active' || !inWorkScope(await workScope(ctx, deps.identity, q), uid))
        throw fieldError('assigneeId', 'validation.user_not_found');
    }
    return uid;
  }

  /** A task the actor may see and work: theirs, or in their scope (404 otherwise, never a hint that it exists). */
  async function visibleTask(q: Queryable, ctx: Ctx, id: string, forUpdate = false) {
    const t = await tasksRepo.byId(q, ctx.orgId, assertId(id), forUpdate);
    if (!t) throw notFound();
    if (t.assignee_id === ctx.actor.userId) return t;
    if (!allowed(ctx, 'work.team') || !inWorkScope(await workScope(ctx, deps.identity, q), t.assignee_id))
      throw notFound();
    return t;
  }

  /** Whom a list covers: 'me' (default), 'team' (members of the actor's teams) or one user id. */
  async function assigneeIds(ctx: Ctx, assignee: string | undefined): Promise<string[]> {
    if (!assignee || assignee === 'me') return ctx.actor.userId ? [ctx.actor.userId] : [];
    authorize(ctx, 'work.team');
    if (assignee === 'team') {
      const members = deps.identity ? await deps.identity.teamMemberIds(ctx.orgId, ctx.actor.teamIds) : [];
      return ctx.actor.userId ? [...new Set([ctx.actor.userId, ...members])] : members;
    }
    const id = assertId(assignee);
    if (!inWorkScope(await workScope(ctx, deps.identity), id)) throw new AppError('forbidden');
    return [id];
  }

  /** A new task in the caller's transaction: written at its commit with the audit and domain events. */
  async function createInTx(tx: Tx, ctx: Ctx, t: NewTask): Promise<TaskRow> {
    const now = new Date();
    const row = tasksRepo.bufferInsert(tx, {
      org_id: ctx.orgId,
      id: randomUUID(),
      kind: t.kind,
      title: t.title,
      description: t.description ?? '',
      assignee_id: t.assigneeId,
      due_at: t.dueAt,
      priority: t.priority ?? 'normal',
      urgent: t.urgent ?? false,
      important: t.important ?? false,
      status: 'open',
      outcome: null,
      outcome_code: null,
      related_type: t.relatedType ?? null,
      related_id: t.relatedId ?? null,
      channel: t.channel ?? null,
      source_type: t.sourceType ?? null,
      source_id: t.sourceId ?? null,
      completed_at: null,
      created_by: ctx.actor.userId,
      version: 1,
      created_at: now,
      updated_at: now,
    });
    await recordAudit(tx, ctx, { action: 'task.create', entityType: 'task', entityId: row.id, after: row });
    await emitTask(tx, ctx, 'task.created', row);
    return row;
  }

  return {
    createInTx,
    types,
    relatedTitles,

    /** Cadences listen here to record a step's outcome and schedule the next step. */
    onClosed(listener: TaskClosedListener) {
      listeners.push(listener);
    },

    /** Cancels open tasks of a kind on a record (e.g. when a customer is re-assigned), in the caller's transaction. */
    async cancelOpenInTx(tx: Tx, ctx: Ctx, relatedType: string, relatedId: string, kind: string) {
      const rows = await tasksRepo.cancelOpenOfRecordAsReassigned(
        tx,
        ctx.orgId,
        relatedType,
        relatedId,
        kind,
      );
      for (const r of rows) {
        await recordAudit(tx, ctx, { action: 'task.cancel', entityType: 'task', entityId: r.id, after: r });
        await emitTask(tx, ctx, 'task.cancelled', r);
      }
    },

    /** Cancels the open tasks a source (cadence run, promise) created, with the reason as their outcome. */
    async cancelOfSourceInTx(tx: Tx, ctx: Ctx, sourceType: string, sourceId: string, reason: string) {
      const out: TaskRow[] = [];
      for (const before of await tasksRepo.openOfSource(tx, ctx.orgId, sourceType, sourceId)) {
        const after = await tasksRepo.close(tx, ctx.orgId, before.id, 'cancelled', reason);
        await recordAudit(tx, ctx, {
          action: 'task.cancel',
          entityType: 'task',
          entityId: before.id,
          before,
          after,
        });
        await emitTask(tx, ctx, 'task.cancelled', after);
        out.push(after);
      }
      return out;
    },

    assigneeIds,

    async create(ctx: Ctx, input: TaskCreateInput): Promise<TaskRow> {
      return db.transaction(async (tx) => {
        const assigneeId = await ensureAssignee(tx, ctx, input.assigneeId ?? ctx.actor.userId ?? '');
        const kind = input.kind ?? 'general';
        const type = await types.byKey(tx, ctx.orgId, kind);
        if (!type?.active) throw fieldError('kind', 'validation.option', { value: kind });
        let relatedId: string | null = null;
        if (input.relatedId || input.relatedType) {
          // The linked record must exist in this org and be visible to the actor: 422 otherwise.
          const ref = { type: input.relatedType ?? 'customer', id: input.relatedId ?? '' };
          if (!deps.records) throw fieldError('relatedType', 'validation.option', { value: ref.type });
          relatedId = (await deps.records.linkable(tx, ctx, ref, { type: 'relatedType', id: 'relatedId' }))
            .id;
        }
        return createInTx(tx, ctx, {
          kind,
          title: input.title.trim(),
          description: input.description,
          assigneeId,
          dueAt: instant('dueAt', input.dueAt) ?? null,
          priority: input.priority,
          urgent: input.urgent,
          important: input.important,
          relatedType: relatedId ? (input.relatedType ?? 'customer') : null,
          relatedId,
        });
      });
    },

    async list(ctx: Ctx, f: TaskListQuery, page: PageRequest, now = new Date()) {
      const ids = await assigneeIds(ctx, f.assignee);
      return tasksRepo.list(
        db,
        ctx.orgId,
        {
          assigneeIds: ids,
          status: f.overdue ? 'open' : f.status,
          dueBefore: f.overdue ? now : (instant('dueBefore', f.dueBefore) ?? undefined),
          dueAfter: instant('dueAfter', f.dueAfter) ?? undefined,
          quadrant: f.quadrant,
          relatedType: f.relatedType,
          relatedId: f.relatedId ? assertId(f.relatedId) : undefined,
          kind: f.kind,
          priority: f.priority,
        },
        page,
      );
    },

    async get(ctx: Ctx, id: string) {
      return visibleTask(db, ctx, id);
    },

    /** Open tasks about a record (the caller checked the record is visible), those in the actor's scope, first due first. */
    async openForRecord(ctx: Ctx, ref: { type: string; id: string }, limit = 50) {
      const scope = await workScope(ctx, deps.identity);
      const rows = await tasksRepo.openOfRecord(
        db,
        ctx.orgId,
        ref.type,
        ref.id,
        scope.all ? null : [...scope.userIds],
        limit + 1,
      );
      return { items: rows.slice(0, limit), more: rows.length > limit };
    },

    async update(ctx: Ctx, id: string, patch: TaskPatch, ifMatch?: number) {
      return db.transaction(async (tx) => {
        const before = await visibleTask(tx, ctx, id, true);
        if (ifMatch !== undefined && ifMatch !== before.version) throw new AppError('stale');
        const status = patch.status ?? before.status;
        let outcome = patch.outcome !== undefined ? patch.outcome.trim() || null : before.outcome;
        let outcomeCode = before.outcome_code;
        const completing = status === 'done' && before.status !== 'done';
        if (patch.outcomeCode !== undefined) {
          // A coded outcome: one of the codes of the task's type, given when completing it.
          const code = patch.outcomeCode.trim();
          const coded = (await types.byKey(tx, ctx.orgId, before.kind))?.outcomes ?? [];
          const match = coded.find((o) => o.code === code);
          if (!match) throw fieldError('outcomeCode', 'validation.option', { value: code });
          outcomeCode = match.code;
          outcome ||= match.label[ctx.locale] ?? match.code;
        } else if (completing && (await types.byKey(tx, ctx.orgId, before.kind))?.outcomes.length)
          throw fieldError('outcomeCode', 'validation.outcome_required');
        if (completing && !outcome) throw fieldError('outcome', 'validation.outcome_required');
        const assigneeId =
          patch.assigneeId !== undefined && patch.assigneeId !== before.assignee_id
            ? await ensureAssignee(tx, ctx, patch.assigneeId)
            : before.assignee_id;
        const after = await tasksRepo.update(tx, ctx.orgId, before.id, {
          title: patch.title?.trim() || before.title,
          description: patch.description ?? before.description,
          assignee_id: assigneeId,
          due_at: patch.dueAt !== undefined ? (instant('dueAt', patch.dueAt) ?? null) : before.due_at,
          priority: patch.priority ?? before.priority,
          urgent: patch.urgent ?? before.urgent,
          important: patch.important ?? before.important,
          status,
          outcome,
          outcome_code: outcomeCode,
        });
        const action =
          status === 'done' && before.status !== 'done'
            ? 'task.complete'
            : status === 'cancelled' && before.status !== 'cancelled'
              ? 'task.cancel'
              : assigneeId !== before.assignee_id
                ? 'task.reassign'
                : 'task.update';
        await recordAudit(tx, ctx, { action, entityType: 'task', entityId: before.id, before, after });
        const event = {
          'task.complete': 'task.completed',
          'task.cancel': 'task.cancelled',
          'task.reassign': 'task.reassigned',
          'task.update': 'task.updated',
        }[action];
        await emitTask(
          tx,
          ctx,
          event ?? 'task.updated',
          after,
          action === 'task.reassign' ? { previousAssigneeId: before.assignee_id } : {},
        );
        if (before.status === 'open' && status !== 'open')
          for (const l of listeners) await l(tx, ctx, before, after);
        return after;
      });
    },
  };
}

function assertIdOr422(field: string, id: string): string {
  try {
    return assertId(id);
  } catch {
    throw fieldError(field, 'validation.invalid');
  }
}

export type TasksService = ReturnType<typeof makeTasksService>;
