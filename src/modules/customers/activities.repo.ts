import type { Queryable, Row } from '../../platform/db/db.ts';
import { keysetSql, type PageRequest, sortOf } from '../../platform/db/paging.ts';

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

/** A customer's audit event as the timeline shows it. */
export interface TimelineEventRow {
  id: string;
  action: string;
  occurred_at: Date;
  actor_id: string | null;
  entity_id: string;
  changes: Record<string, unknown>;
  meta: Record<string, unknown>;
}

/** Timeline order: newest first; an activity and an event at the same instant by source, then id. */
export const TIMELINE_SORT = sortOf(
  'timeline',
  [
    { sql: 's.occurred_at', type: 'timestamptz', desc: true },
    { sql: 's.src', type: 'text', desc: true },
  ],
  's.id',
);

/** One page (keyset over TIMELINE_SORT) of an inner query's rows. */
async function timelinePage<T>(q: Queryable, page: PageRequest, inner: string, innerParams: unknown[]) {
  const params = [...innerParams];
  const k = keysetSql(TIMELINE_SORT, page, params);
  return (
    await q.query<T & Row>(
      `SELECT s.*, ${k.columns} FROM (${inner}) s WHERE ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
      params,
    )
  ).rows;
}

export const activitiesRepo = {
  async insert(
    q: Queryable,
    a: {
      orgId: string;
      id: string;
      customerId: string;
      contactId: string | null;
      kind: ActivityKind;
      direction: 'inbound' | 'outbound' | null;
      subject: string | null;
      body: string;
      occurredAt: Date;
      actorId: string | null;
    },
  ) {
    return (
      await q.query<ActivityRow>(
        `INSERT INTO activities (org_id, id, customer_id, contact_id, kind, direction, subject, body, occurred_at, actor_id)
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING *`,
        [
          a.orgId,
          a.id,
          a.customerId,
          a.contactId,
          a.kind,
          a.direction,
          a.subject,
          a.body,
          a.occurredAt,
          a.actorId,
        ],
      )
    ).rows[0];
  },
  /** One timeline page of a customer's activities (keys over TIMELINE_SORT). */
  async timelineActivities(q: Queryable, orgId: string, customerId: string, page: PageRequest) {
    return timelinePage<ActivityRow & { src: 'activity' }>(
      q,
      page,
      "SELECT a.*, 'activity'::text AS src FROM activities a WHERE a.org_id = $1 AND a.customer_id = $2",
      [orgId, customerId],
    );
  },
  /** One timeline page of the audit events of these customers (keys over TIMELINE_SORT). */
  async timelineEvents(q: Queryable, orgId: string, customerIds: string[], page: PageRequest) {
    return timelinePage<TimelineEventRow & { src: 'event' }>(
      q,
      page,
      `SELECT e.id, e.action, e.occurred_at, e.actor_id, e.entity_id, e.changes, e.meta, 'event'::text AS src FROM audit_events e
           WHERE e.org_id = $1 AND e.entity_type = 'customer' AND e.entity_id = ANY($2::uuid[])`,
      [orgId, customerIds],
    );
  },
  /** Moves every activity of one customer to another (a merge), remembering where it came from; returns them. */
  async moveToCustomer(q: Queryable, orgId: string, fromId: string, toId: string) {
    return (
      await q.query<ActivityRow>(
        `UPDATE activities SET customer_id = $3, merged_from_id = COALESCE(merged_from_id, $2)
           WHERE org_id = $1 AND customer_id = $2 RETURNING *`,
        [orgId, fromId, toId],
      )
    ).rows;
  },
};
