import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { recordAudit } from '../../platform/audit/audit.ts';
import { type Ctx, can, systemCtx } from '../../platform/context.ts';
import { type Db, PgCode, pgErrorCode, type Tx } from '../../platform/db/db.ts';
import type { PageRequest } from '../../platform/db/paging.ts';
import { AppError, assertId, fieldError, notFound } from '../../platform/http/errors.ts';
import { type Locale, t } from '../../platform/i18n/i18n.ts';
import { cancelTimers, registerTimerHandler, scheduleTimer } from '../../platform/jobs/timers.ts';
import type { IdentityService } from '../identity/index.ts';
import { type PromiseRow, promisesRepo as repo } from './promises.repo.ts';
import type { TasksService } from './tasks.service.ts';
import type { WorkingTime } from './working-time.ts';

export const PROMISE_DUE_TIMER = 'promise.due';
export const PROMISE_BROKEN_TASK_KIND = 'promise_broken';
const TEAM = 'task.read.team';

export interface PromiseInput {
  what: string;
  customerId?: string;
  contactId?: string;
  toText?: string;
  promiserId?: string;
  dueAt: string;
  relatedType?: string;
  relatedId?: string;
}

export interface PromisePatch {
  status?: 'kept' | 'cancelled';
  note?: string;
  dueAt?: string;
  what?: string;
  toText?: string;
}

/** Whether a customer is visible to the actor (throws not_found otherwise): the customers module's get. */
export type CustomerCheck = (ctx: Ctx, id: string) => Promise<unknown>;

const timerKey = (p: Pick<PromiseRow, 'id' | 'due_at'>) =>
  `promise:${p.id}:${new Date(p.due_at).toISOString()}`;

function idOr422(field: string, id: string): string {
  try {
    return assertId(id);
  } catch {
    throw fieldError(field, 'validation.invalid');
  }
}

function dueOr422(v: string): Date {
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw fieldError('dueAt', 'validation.invalid');
  return d;
}

/**
 * Promises made to customers: what, to whom, by whom, by when, on which record. A durable timer at the due
 * time (`promise:<id>:<due>`) breaks a promise still open and gives its promiser — and the supervisor of their
 * first team — an urgent, important follow-up task. Rescheduling cancels that timer and keys a new one.
 */
export function makePromisesService(
  db: Db,
  deps: {
    tasks: TasksService;
    workingTime: WorkingTime;
    identity: Pick<IdentityService, 'usersByIds' | 'supervisorOf'>;
    customerVisible?: CustomerCheck;
  },
) {
  /** Keyed by promise and due time; moving back to an earlier due time (its timer cancelled) adds the version. */
  async function schedule(tx: Tx, p: PromiseRow) {
    const spec = {
      orgId: p.org_id,
      kind: PROMISE_DUE_TIMER,
      dueAt: p.due_at,
      refType: 'promise',
      refId: p.id,
      payload: { dueAt: new Date(p.due_at).toISOString() },
    };
    if (!(await scheduleTimer(tx, { ...spec, key: timerKey(p) })))
      await scheduleTimer(tx, { ...spec, key: `${timerKey(p)}:v${p.version}` });
  }

  async function readable(ctx: Ctx, id: string, tx: Tx) {
    const p = await repo.byId(tx, ctx.orgId, assertId(id), true);
    if (!p || (p.promiser_id !== ctx.actor.userId && !can(ctx.actor, TEAM))) throw notFound();
    return p;
  }

  registerTimerHandler(PROMISE_DUE_TIMER, async (tx, timer, { now }) => {
    const ctx = systemCtx(timer.org_id, { name: 'promises', requestId: `timer-${timer.id}` });
    const before = timer.ref_id ? await repo.byId(tx, timer.org_id, timer.ref_id, true) : undefined;
    if (before?.status !== 'open' || new Date(before.due_at).toISOString() !== timer.payload.dueAt) return;
    const after = await repo.update(tx, ctx.orgId, before.id, { ...before, status: 'broken' });
    await recordAudit(tx, ctx, {
      action: 'promise.break',
      entityType: 'promise',
      entityId: before.id,
      before,
      after,
    });
    const zone = await deps.workingTime.timeZone(tx, ctx.orgId);
    const supervisorId = await deps.identity.supervisorOf(tx, ctx.orgId, before.promiser_id);
    const users = await deps.identity.usersByIds(
      ctx.orgId,
      supervisorId ? [before.promiser_id, supervisorId] : [before.promiser_id],
      tx,
    );
    const promiser = users.find((u) => u.id === before.promiser_id);
    const due = DateTime.fromJSDate(new Date(before.due_at), { zone }).toFormat('yyyy-MM-dd HH:mm');
    const recipients = [{ id: before.promiser_id, key: 'tasks.promise_broken' }];
    if (supervisorId && users.some((u) => u.id === supervisorId && u.status === 'active'))
      recipients.push({ id: supervisorId, key: 'tasks.promise_broken_supervisor' });
    for (const r of recipients) {
      const locale = (users.find((u) => u.id === r.id)?.locale as Locale | null) ?? ctx.locale;
      await deps.tasks.createInTx(tx, ctx, {
        kind: PROMISE_BROKEN_TASK_KIND,
        title: t(locale, r.key, { what: before.what, name: promiser?.name ?? '' }),
        description: t(locale, 'tasks.promise_broken_desc', { to: before.to_text || before.what, due }),
        assigneeId: r.id,
        dueAt: now,
        priority: 'urgent',
        urgent: true,
        important: true,
        relatedType: before.customer_id ? 'customer' : before.related_type,
        relatedId: before.customer_id ?? before.related_id,
        sourceType: 'promise',
        sourceId: before.id,
      });
    }
  });

  return {
    async create(ctx: Ctx, input: PromiseInput) {
      const customerId = input.customerId ? idOr422('customerId', input.customerId) : null;
      if (customerId && deps.customerVisible) {
        await deps.customerVisible(ctx, customerId).catch((e) => {
          throw e instanceof AppError && e.code === 'not_found'
            ? fieldError('customerId', 'validation.invalid')
            : e;
        });
      }
      if (!customerId && !input.toText?.trim()) throw fieldError('toText', 'validation.required');
      const promiserId = input.promiserId ?? ctx.actor.userId;
      if (!promiserId) throw fieldError('promiserId', 'validation.required');
      return db.transaction(async (tx) => {
        if (promiserId !== ctx.actor.userId) {
          if (!can(ctx.actor, TEAM)) throw new AppError('forbidden');
          const u = (await deps.identity.usersByIds(ctx.orgId, [idOr422('promiserId', promiserId)], tx))[0];
          if (u?.status !== 'active') throw fieldError('promiserId', 'validation.user_not_found');
        }
        const relatedId = input.relatedId ? idOr422('relatedId', input.relatedId) : null;
        const row = await repo
          .insert(tx, {
            org_id: ctx.orgId,
            id: randomUUID(),
            what: input.what.trim(),
            customer_id: customerId,
            contact_id: input.contactId ? idOr422('contactId', input.contactId) : null,
            to_text: input.toText?.trim() ?? '',
            promiser_id: promiserId,
            due_at: dueOr422(input.dueAt),
            related_type: relatedId ? (input.relatedType ?? null) : null,
            related_id: relatedId,
            created_by: ctx.actor.userId,
          })
          .catch((e) => {
            throw pgErrorCode(e) === PgCode.foreignKeyViolation
              ? fieldError('contactId', 'validation.invalid')
              : e;
          });
        await recordAudit(tx, ctx, {
          action: 'promise.create',
          entityType: 'promise',
          entityId: row.id,
          after: row,
        });
        await schedule(tx, row);
        return row;
      });
    },

    async list(ctx: Ctx, f: { promiser?: string; status?: string; customerId?: string }, page: PageRequest) {
      let promiserIds: string[] | undefined;
      if (!f.promiser || f.promiser === 'me') promiserIds = [ctx.actor.userId ?? ''];
      else if (!can(ctx.actor, TEAM)) throw new AppError('forbidden');
      else if (f.promiser === 'team') promiserIds = await deps.tasks.assigneeIds(ctx, 'team');
      else if (f.promiser !== 'all') promiserIds = [assertId(f.promiser)];
      return repo.list(db, ctx.orgId, {
        promiserIds,
        status: f.status,
        customerId: f.customerId ? assertId(f.customerId) : undefined,
      }, page);
    },

    async get(ctx: Ctx, id: string) {
      const p = await repo.byId(db, ctx.orgId, assertId(id));
      if (!p || (p.promiser_id !== ctx.actor.userId && !can(ctx.actor, TEAM))) throw notFound();
      return p;
    },

    /** Mark kept (with a note) or cancelled, reschedule (the old due time stays in the audit trail), or edit. */
    async update(ctx: Ctx, id: string, patch: PromisePatch, ifMatch?: number) {
      return db.transaction(async (tx) => {
        const before = await readable(ctx, id, tx);
        if (ifMatch !== undefined && ifMatch !== before.version) throw new AppError('stale');
        if (before.status !== 'open') throw new AppError('conflict');
        const note = patch.note?.trim() || null;
        if (patch.status === 'kept' && !note) throw fieldError('note', 'validation.outcome_required');
        const dueAt = patch.dueAt !== undefined ? dueOr422(patch.dueAt) : new Date(before.due_at);
        const moved = dueAt.getTime() !== new Date(before.due_at).getTime();
        const after = await repo.update(tx, ctx.orgId, before.id, {
          what: patch.what?.trim() || before.what,
          to_text: patch.toText?.trim() ?? before.to_text,
          due_at: dueAt,
          status: patch.status ?? 'open',
          note: note ?? before.note,
        });
        const action =
          patch.status === 'kept'
            ? 'promise.keep'
            : patch.status === 'cancelled'
              ? 'promise.cancel'
              : moved
                ? 'promise.reschedule'
                : 'promise.update';
        const meta = moved
          ? { from: new Date(before.due_at).toISOString(), to: dueAt.toISOString() }
          : undefined;
        await recordAudit(tx, ctx, {
          action,
          entityType: 'promise',
          entityId: before.id,
          before,
          after,
          meta,
        });
        if (after.status !== 'open' || moved)
          await cancelTimers(tx, ctx.orgId, before.id, [PROMISE_DUE_TIMER]);
        if (after.status === 'open' && moved) await schedule(tx, after);
        return after;
      });
    },
  };
}

export type PromisesService = ReturnType<typeof makePromisesService>;
