import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/db.ts';
import { mergePages, type Page, type PageRequest } from '../../platform/db/paging.ts';
import { emit, eventView } from '../../platform/events/events.ts';
import { fieldError, isUuid } from '../../platform/http/errors.ts';
import { iso } from '../../platform/http/schemas.ts';
import {
  type ActivityKind,
  type ActivityRow,
  activitiesRepo as repo,
  TIMELINE_SORT,
  type TimelineEventRow,
} from './activities.repo.ts';
import { contactsRepo } from './contacts.repo.ts';
import { authorize } from './customers.policy.ts';
import { customersRepo } from './customers.repo.ts';
import type { CustomersCore, Deps } from './customers.service.ts';

export type { ActivityKind, ActivityRow } from './activities.repo.ts';

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
            (await contactsRepo.isOfCustomer(tx, ctx.orgId, input.contactId, customer.id));
          if (!ok) throw fieldError('contactId', 'errors.not_found');
        }
        const occurredAt = input.occurredAt ? new Date(input.occurredAt) : new Date();
        const row = await repo.insert(tx, {
          orgId: ctx.orgId,
          id: randomUUID(),
          customerId: customer.id,
          contactId: input.contactId ?? null,
          kind: input.kind,
          direction: input.direction ?? null,
          subject: input.subject ?? null,
          body: input.body,
          occurredAt,
          actorId: ctx.actor.userId,
        });
        await recordAudit(tx, ctx, {
          action: 'activity.create',
          entityType: 'activity',
          entityId: row.id,
          after: row,
          meta: { customerId: customer.id },
        });
        await emit(tx, ctx, {
          type: 'activity.created',
          record: { type: 'customer', id: customer.id },
          data: { activity: eventView(row), customerId: customer.id },
        });
        return row;
      });
    },

    /** Newest first, activities and events interleaved; one page of both, merged. */
    async timeline(ctx: Ctx, customerId: string, page: PageRequest): Promise<Page<TimelineItem>> {
      authorize(ctx, 'customer.view');
      const customer = await core.visible(db, ctx, customerId, { anyStatus: true });
      // A survivor's history includes the records merged into it.
      const mergedIds = await customersRepo.mergedIntoIds(db, ctx.orgId, customer.id);
      const ids = [customer.id, ...mergedIds];
      const [actRows, eventRows] = await Promise.all([
        repo.timelineActivities(db, ctx.orgId, customer.id, page),
        repo.timelineEvents(db, ctx.orgId, ids, page),
      ]);
      const rows = mergePages<(ActivityRow & { src: 'activity' }) | (TimelineEventRow & { src: 'event' })>(
        TIMELINE_SORT,
        [actRows, eventRows],
        page.limit,
      );
      const acts = rows.items.filter((r): r is ActivityRow & { src: 'activity' } => r.src === 'activity');
      const events = rows.items.filter((r): r is TimelineEventRow & { src: 'event' } => r.src === 'event');
      const actorIds = [
        ...new Set(
          [...acts.map((a) => a.actor_id), ...events.map((e) => e.actor_id)].filter((x): x is string => !!x),
        ),
      ];
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
              meta: {
                ...(r.meta ?? {}),
                ...(r.entity_id !== customer.id ? { customerId: r.entity_id } : {}),
              },
            };
      return { items: rows.items.map(present), nextCursor: rows.nextCursor };
    },
  };
}
