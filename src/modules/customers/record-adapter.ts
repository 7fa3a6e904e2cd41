import { recordAudit } from '../../platform/audit/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Queryable, Tx } from '../../platform/db/db.ts';
import { emit } from '../../platform/events/events.ts';
import { isUuid } from '../../platform/http/errors.ts';
import type { RecordSummary, RecordType } from '../../platform/records/registry.ts';
import type { IdentityService } from '../identity/index.ts';
import { customerEventData } from './customers.events.ts';
import { customerScope } from './customers.policy.ts';
import { type CustomerRow, customersRepo as repo } from './customers.repo.ts';

const summary = (r: CustomerRow): RecordSummary => ({
  type: 'customer',
  id: r.id,
  title: r.name,
  ownerId: r.owner_id,
  teamId: r.team_id,
  customerId: r.id,
  facts: {
    kind: r.kind,
    memberLevel: r.member_level,
    sourceChannel: r.source_channel,
    tags: r.tags,
    custom: r.custom,
    status: r.status,
  },
});

const uuids = (ids: string[]) => ids.filter(isUuid);

/** Customers as records: tasks, promises, processes and notifications point at them through the registry. */
export function customerRecordType(identity: IdentityService): RecordType {
  return {
    type: 'customer',
    label: { 'zh-CN': '客户', en: 'Customer', es: 'Cliente' },
    route: (id) => `/customers/${id}`,
    async loadMany(q: Queryable, orgId: string, ids: string[]) {
      if (!uuids(ids).length) return [];
      return (await repo.byIds(q, orgId, uuids(ids))).map(summary);
    },
    async visibleMany(q: Queryable, ctx: Ctx, ids: string[]) {
      if (!uuids(ids).length) return [];
      return (await repo.visibleByIds(q, ctx.orgId, customerScope(ctx), uuids(ids))).map(summary);
    },
    /** Escalation hands the customer to another user (e.g. the supervisor), audited like an assignment. */
    async reassign(tx: Tx, ctx: Ctx, id: string, userId: string) {
      const before = await repo.byId(tx, ctx.orgId, id, { forUpdate: true });
      const owner = (await identity.usersByIds(ctx.orgId, [userId], tx))[0];
      if (!before || !owner || before.owner_id === userId) return;
      const after = await repo.update(tx, ctx.orgId, id, {
        owner_id: owner.id,
        team_id: owner.team_ids[0] ?? before.team_id,
        assigned_at: new Date(),
      });
      await recordAudit(tx, ctx, {
        action: 'customer.assign',
        entityType: 'customer',
        entityId: id,
        before,
        after,
        meta: { reason: 'escalation' },
      });
      await emit(tx, ctx, {
        type: 'customer.assigned',
        record: { type: 'customer', id },
        data: { ...customerEventData(after), previousOwnerId: before.owner_id, reason: 'escalation' },
      });
    },
  };
}
