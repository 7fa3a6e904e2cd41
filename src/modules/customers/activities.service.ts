import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit.ts';
import { emit, eventView } from '../../platform/events/events.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Row } from '../../platform/db/db.ts';
import { keysetSql, mergePages, type Page, type PageRequest, sortOf } from '../../platform/db/paging.ts';
import { fieldError, isUuid } from '../../platform/http/errors.ts';
import { iso } from '../../platform/http/schemas.ts';
import type { CustomersCore, Deps } from './customers.service.ts';
import { authorize } from './customers.policy.ts';

export type ActivityKind = 'call' | 'message' | 'email' | 'visit' | 'meeting' | 'note';

export interface ActivityRow {
  org_id: string;
  id: string;
  customer_id: string;
  contact_id: string | null;
  kind: ActivityKind;
  direction: 'inbound' | 'outbound' | null;
  subject: string | null;
  body: string;
  occurred_at: Date;
  actor_id: string | null;
  merged_from_id: string | null;
  created_at: Date;
}

export interface ActivityInput {
  kind: ActivityKind;
  direction?: 'inbound' | 'outbound' | null;
  subject?: string | null;
  body: string;
  occurredAt?: string;
  contactId?: string | null;
}

export interface TimelineItem {
  id: string;
  type: 'activity' | 'event';
  kind: string;
  subject: string | null;
  body: string;
  direction: string | null;
  occurredAt: string;
  actor: { id: string; name: string } | null;
  meta?: Record<string, unknown>;
}

interface EventRow {
  id: string;
  action: string;
  occurred_at: Date;
  actor_id: string | null;
  entity_id: string;
  changes: Record<string, unknown>;
  meta: Record<string, unknown>;
}

/** Timeline order: newest first; an activity and an event at the same instant by source, then id. */
const TIMELINE_SORT = sortOf(
  'timeline',
  [
    { sql: 's.occurred_at', type: 'timestamptz', desc: true },
    { sql: 's.src', type: 'text', desc: true },
  ],
  's.id',
);

/** The customer timeline: recorded interactions (calls, visits, notes…) and the record's own history. */
export function makeActivitiesService(db: Db, core: CustomersCore, deps: Deps) {
  return {
    async add(ctx: Ctx, customerId: string, input: ActivityInput) {
      authorize(ctx, 'activity.create');
      return db.transaction(async (tx) => {
        const customer = await core.visible(tx, ctx, customerId);
        if (input.contactId) {
          const ok =
            isUuid(input.contactId) &&
            (await tx.query('SELECT 1 FROM contacts WHERE org_id = $1 AND id = $2 AND customer_id = $3', [ctx.orgId, input.contactId, customer.id])).rowCount;
          if (!ok) throw fieldError('contactId', 'errors.not_found');
        }
        const occurredAt = input.occurredAt ? new Date(input.occurredAt) : new Date();
        const row = (
          await tx.query<ActivityRow>(
            `INSERT INTO activities (org_id, id, customer_id, contact_id, kind, direction, subject, body, occurred_at, actor_id)
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING *`,
            [ctx.orgId, randomUUID(), customer.id, input.contactId ?? null, input.kind, input.direction ?? null, input.subject ?? null, input.body, occurredAt, ctx.actor.userId],
          )
        ).rows[0];
        await recordAudit(tx, ctx, { action: 'activity.create', entityType: 'activity', entityId: row.id, after: row, meta: { customerId: customer.id } });
        await emit(tx, ctx, { type: 'activity.created', record: { type: 'customer', id: customer.id }, data: { activity: eventView(row), customerId: customer.id } });
        return row;
      });
    },

    /** Newest first, activities and events interleaved; one page of both, merged. */
    async timeline(ctx: Ctx, customerId: string, page: PageRequest): Promise<Page<TimelineItem>> {
      authorize(ctx, 'customer.view');
      const customer = await core.visible(db, ctx, customerId, { anyStatus: true });
      // A survivor's history includes the records merged into it.
      const mergedIds = (await db.query<{ id: string }>('SELECT id FROM customers WHERE org_id = $1 AND merged_into_id = $2', [ctx.orgId, customer.id])).rows.map((r) => r.id);
      const ids = [customer.id, ...mergedIds];
      const source = async <T>(inner: string, innerParams: unknown[]) => {
        const params = [...innerParams];
        const k = keysetSql(TIMELINE_SORT, page, params);
        return (await db.query<T & Row>(`SELECT s.*, ${k.columns} FROM (${inner}) s WHERE ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`, params)).rows;
      };
      const [actRows, eventRows] = await Promise.all([
        source<ActivityRow & { src: 'activity' }>("SELECT a.*, 'activity'::text AS src FROM activities a WHERE a.org_id = $1 AND a.customer_id = $2", [ctx.orgId, customer.id]),
        source<EventRow & { src: 'event' }>(
          `SELECT e.id, e.action, e.occurred_at, e.actor_id, e.entity_id, e.changes, e.meta, 'event'::text AS src FROM audit_events e
           WHERE e.org_id = $1 AND e.entity_type = 'customer' AND e.entity_id = ANY($2::uuid[])`,
          [ctx.orgId, ids],
        ),
      ]);
      const rows = mergePages<(ActivityRow & { src: 'activity' }) | (EventRow & { src: 'event' })>(TIMELINE_SORT, [actRows, eventRows], page.limit);
      const acts = rows.items.filter((r): r is ActivityRow & { src: 'activity' } => r.src === 'activity');
      const events = rows.items.filter((r): r is EventRow & { src: 'event' } => r.src === 'event');
      const actorIds = [...new Set([...acts.map((a) => a.actor_id), ...events.map((e) => e.actor_id)].filter((x): x is string => !!x))];
      const names = new Map((await deps.identity.usersByIds(ctx.orgId, actorIds)).map((u) => [u.id, u.name]));
      const actor = (id: string | null) => (id ? { id, name: names.get(id) ?? '' } : null);
      const present = (r: (typeof rows.items)[number]): TimelineItem =>
        r.src === 'activity'
          ? {
              id: r.id,
              type: 'activity',
              kind: r.kind,
              subject: r.subject,
              body: r.body,
              direction: r.direction,
              occurredAt: iso(r.occurred_at)!,
              actor: actor(r.actor_id),
              ...(r.merged_from_id ? { meta: { mergedFromId: r.merged_from_id } } : {}),
            }
          : {
              id: r.id,
              type: 'event',
              kind: r.action,
              subject: null,
              body: Object.keys(r.changes ?? {}).join(', '),
              direction: null,
              occurredAt: iso(r.occurred_at)!,
              actor: actor(r.actor_id),
              meta: { ...(r.meta ?? {}), ...(r.entity_id !== customer.id ? { customerId: r.entity_id } : {}) },
            };
      return { items: rows.items.map(present), nextCursor: rows.nextCursor };
    },
  };
}
