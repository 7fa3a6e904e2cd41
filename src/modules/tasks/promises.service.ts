import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { recordAudit } from '../../platform/audit/audit.ts';
import { type Ctx, systemCtx } from '../../platform/context.ts';
import { type Db, PgCode, pgErrorCode, type Queryable, type Tx } from '../../platform/db/db.ts';
import type { PageRequest } from '../../platform/db/paging.ts';
import { emit, eventView } from '../../platform/events/events.ts';
import { AppError, assertId, fieldError, notFound } from '../../platform/http/errors.ts';
import { type Locale, t } from '../../platform/i18n/i18n.ts';
import { cancelTimers, registerTimerHandler, scheduleTimer } from '../../platform/jobs/timers.ts';
import type { RecordRegistry } from '../../platform/records/registry.ts';
import type { IdentityService } from '../identity/index.ts';
import { type PromiseRow, promisesRepo as repo } from './promises.repo.ts';
import { allowed, authorize, inWorkScope, workScope } from './tasks.policy.ts';
import type { TasksService } from './tasks.service.ts';
import type { WorkingTime } from './working-time.ts';

export const PROMISE_DUE_TIMER = 'promise.due';
export const PROMISE_BROKEN_TASK_KIND = 'promise_broken';

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

/** A promise is about the customer it was made to (else its related record): that record hears its events. */
const promiseRecord = (p: PromiseRow) =>
  p.customer_id
    ? { type: 'customer', id: p.customer_id }
    : p.related_type && p.related_id
      ? { type: p.related_type, id: p.related_id }
      : null;

async function emitPromise(
  tx: Tx,
  ctx: Ctx,
  type: string,
  p: PromiseRow,
  extra: Record<string, unknown> = {},
) {
  await emit(tx, ctx, {
    type,
    record: { type: 'promise', id: p.id },
    related: promiseRecord(p),
    data: { promise: eventView(p), ...extra },
  });
}

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
    identity: Pick<IdentityService, 'usersByIds' | 'supervisorOf' | 'teamMemberIds'>;
    records?: RecordRegistry;
    /** The customer an active contact belongs to (the customers module's answer), or null. */
    contactCustomer?: (q: Queryable, orgId: string, contactId: string) => Promise<string | null>;
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

  /** A promise the actor may see: theirs, or their scope's (a supervisor's teams); 404 otherwise. */
  async function readable(ctx: Ctx, id: string, q: Tx | Db, forUpdate = false) {
    const p = await repo.byId(q, ctx.orgId, assertId(id), forUpdate);
    if (!p) throw notFound();
    if (p.promiser_id === ctx.actor.userId) return p;
    if (!allowed(ctx, 'work.team') || !inWorkScope(await workScope(ctx, deps.identity, q), p.promiser_id))
      throw notFound();
    return p;
  }

  async function linkable(
    tx: Tx,
    ctx: Ctx,
    ref: { type: string; id: string },
    fields: { type: string; id: string },
  ) {
    if (!deps.records) throw fieldError(fields.type, 'validation.option', { value: ref.type });
    return deps.records.linkable(tx, ctx, ref, fields);
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
    await emitPromise(tx, ctx, 'promise.broken', after);
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
      if (!customerId && !input.toText?.trim()) throw fieldError('toText', 'validation.required');
      const promiserId = input.promiserId ?? ctx.actor.userId;
      if (!promiserId) throw fieldError('promiserId', 'validation.required');
      return db.transaction(async (tx) => {
        // The customer and the related record must exist in this org and be visible to the actor: 422 otherwise.
        if (customerId)
          await linkable(
            tx,
            ctx,
            { type: 'customer', id: customerId },
            { type: 'customerId', id: 'customerId' },
          );
        if (promiserId !== ctx.actor.userId) {
          authorize(ctx, 'work.team');
          const id = idOr422('promiserId', promiserId);
          const u = (await deps.identity.usersByIds(ctx.orgId, [id], tx))[0];
          if (u?.status !== 'active' || !inWorkScope(await workScope(ctx, deps.identity, tx), id))
            throw fieldError('promiserId', 'validation.user_not_found');
        }
        let relatedId: string | null = null;
        if (input.relatedId || input.relatedType) {
          const ref = { type: input.relatedType ?? 'customer', id: input.relatedId ?? '' };
          relatedId = (await linkable(tx, ctx, ref, { type: 'relatedType', id: 'relatedId' })).id;
        }
        // A contact is one of the (visible) customer's contacts: anyone else's is 422, like an unknown id.
        const contactId = input.contactId ? idOr422('contactId', input.contactId) : null;
        if (
          contactId &&
          (!customerId ||
            (deps.contactCustomer && (await deps.contactCustomer(tx, ctx.orgId, contactId)) !== customerId))
        )
          throw fieldError('contactId', 'validation.record_not_found');
        const row = await repo
          .insert(tx, {
            org_id: ctx.orgId,
            id: randomUUID(),
            what: input.what.trim(),
            customer_id: customerId,
            contact_id: contactId,
            to_text: input.toText?.trim() ?? '',
            promiser_id: promiserId,
            due_at: dueOr422(input.dueAt),
            related_type: relatedId ? (input.relatedType ?? 'customer') : null,
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
        await emitPromise(tx, ctx, 'promise.created', row);
        await schedule(tx, row);
        return row;
      });
    },

    async list(ctx: Ctx, f: { promiser?: string; status?: string; customerId?: string }, page: PageRequest) {
      let promiserIds: string[] | undefined;
      if (!f.promiser || f.promiser === 'me') promiserIds = [ctx.actor.userId ?? ''];
      else if (!allowed(ctx, 'work.team')) throw new AppError('forbidden');
      else if (f.promiser === 'team') promiserIds = await deps.tasks.assigneeIds(ctx, 'team');
      else if (f.promiser === 'all') {
        if (!(await workScope(ctx, deps.identity)).all)
          promiserIds = await deps.tasks.assigneeIds(ctx, 'team');
      } else {
        const id = assertId(f.promiser);
        if (!inWorkScope(await workScope(ctx, deps.identity), id)) throw new AppError('forbidden');
        promiserIds = [id];
      }
      return repo.list(
        db,
        ctx.orgId,
        {
          promiserIds,
          status: f.status,
          customerId: f.customerId ? assertId(f.customerId) : undefined,
        },
        page,
      );
    },

    async get(ctx: Ctx, id: string) {
      return readable(ctx, id, db);
    },

    /** Open promises about a record (made to the customer, or linked to the record), within the actor's scope. */
    async openForRecord(ctx: Ctx, ref: { type: string; id: string }, limit = 50) {
      const scope = await workScope(ctx, deps.identity);
      const rows = await repo.openOfRecord(
        db,
        ctx.orgId,
        ref.type,
        ref.id,
        scope.all ? null : [...scope.userIds],
        limit + 1,
      );
      return { items: rows.slice(0, limit), more: rows.length > limit };
    },

    /** Mark kept (with a note) or cancelled, reschedule (the old due time stays in the audit trail), or edit. */
    async update(ctx: Ctx, id: string, patch: PromisePatch, ifMatch?: number) {
      return db.transaction(async (tx) => {
        const before = await readable(ctx, id, tx, true);
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
        const event = {
          'promise.keep': 'promise.kept',
          'promise.cancel': 'promise.cancelled',
          'promise.reschedule': 'promise.rescheduled',
          'promise.update': 'promise.updated',
        }[action];
        await emitPromise(tx, ctx, event ?? 'promise.updated', after, meta ?? {});
        if (after.status !== 'open' || moved)
          await cancelTimers(tx, ctx.orgId, before.id, [PROMISE_DUE_TIMER]);
        if (after.status === 'open' && moved) await schedule(tx, after);
        return after;
      });
    },
  };
}

export type PromisesService = ReturnType<typeof makePromisesService>;
