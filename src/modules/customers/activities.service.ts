import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit.ts';
import { emit, eventView } from '../../platform/events/events.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/db.ts';
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

    async timeline(ctx: Ctx, customerId: string): Promise<TimelineItem[]> {
      authorize(ctx, 'customer.view');
      const customer = await core.visible(db, ctx, customerId, { anyStatus: true });
      // A survivor's history includes the records merged into it.
      const merged = (await db.query<{ id: string }>('SELECT id FROM customers WHERE org_id = $1 AND merged_into_id = $2', [ctx.orgId, customer.id])).rows.map((r) => r.id);
      const ids = [customer.id, ...merged];
      const acts = (
        await db.query<ActivityRow>('SELECT * FROM activities WHERE org_id = $1 AND customer_id = $2 ORDER BY occurred_at DESC LIMIT 500', [ctx.orgId, customer.id])
      ).rows;
      const events = (
        await db.query<{ id: string; action: string; occurred_at: Date; actor_id: string | null; entity_id: string; changes: Record<string, unknown>; meta: Record<string, unknown> }>(
          `SELECT id, action, occurred_at, actor_id, entity_id, changes, meta FROM audit_events
           WHERE org_id = $1 AND entity_type = 'customer' AND entity_id = ANY($2::uuid[]) ORDER BY seq DESC LIMIT 500`,
          [ctx.orgId, ids],
        )
      ).rows;
      const actorIds = [...new Set([...acts.map((a) => a.actor_id), ...events.map((e) => e.actor_id)].filter((x): x is string => !!x))];
      const names = new Map((await deps.identity.usersByIds(ctx.orgId, actorIds)).map((u) => [u.id, u.name]));
      const actor = (id: string | null) => (id ? { id, name: names.get(id) ?? '' } : null);
      const items: TimelineItem[] = [
        ...acts.map((a) => ({
          id: a.id,
          type: 'activity' as const,
          kind: a.kind,
          subject: a.subject,
          body: a.body,
          direction: a.direction,
          occurredAt: iso(a.occurred_at)!,
          actor: actor(a.actor_id),
          ...(a.merged_from_id ? { meta: { mergedFromId: a.merged_from_id } } : {}),
        })),
        ...events.map((e) => ({
          id: e.id,
          type: 'event' as const,
          kind: e.action,
          subject: null,
          body: Object.keys(e.changes ?? {}).join(', '),
          direction: null,
          occurredAt: iso(e.occurred_at)!,
          actor: actor(e.actor_id),
          meta: { ...(e.meta ?? {}), ...(e.entity_id !== customer.id ? { customerId: e.entity_id } : {}) },
        })),
      ];
      return items.sort((a, b) => b.occurredAt.localeCompare(a.occurredAt));
    },
  };
}
