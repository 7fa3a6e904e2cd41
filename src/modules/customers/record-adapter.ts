import { recordAudit } from '../../platform/audit/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Queryable, Tx } from '../../platform/db/db.ts';
import { isUuid } from '../../platform/http/errors.ts';
import type { IdentityService } from '../identity/index.ts';
import { customerScope } from './customers.policy.ts';
import { type CustomerRow, customersRepo as repo } from './customers.repo.ts';

const info = (r: CustomerRow) => ({
  id: r.id,
  name: r.name,
  ownerId: r.owner_id,
  teamId: r.team_id,
  facts: { kind: r.kind, memberLevel: r.member_level, sourceChannel: r.source_channel, tags: r.tags, custom: r.custom },
});

/** Customers as records that processes run on (P1, P3…): visibility, facts for guards, owner changes. */
export function customerRecords(identity: IdentityService) {
  return {
    async visible(q: Queryable, ctx: Ctx, id: string) {
      if (!isUuid(id)) return null;
      const r = await repo.visibleById(q, ctx.orgId, customerScope(ctx), id, { anyStatus: true });
      return r ? info(r) : null;
    },
    async load(q: Queryable, orgId: string, id: string) {
      const r = await repo.byId(q, orgId, id);
      return r ? info(r) : null;
    },
    /** Escalation hands the customer to another user (e.g. the supervisor), audited like an assignment. */
    async reassign(tx: Tx, ctx: Ctx, id: string, userId: string) {
      const before = await repo.byId(tx, ctx.orgId, id, { forUpdate: true });
      const owner = (await identity.usersByIds(ctx.orgId, [userId], tx))[0];
      if (!before || !owner || before.owner_id === userId) return;
      const after = await repo.update(tx, ctx.orgId, id, { owner_id: owner.id, team_id: owner.team_ids[0] ?? before.team_id, assigned_at: new Date() });
      await recordAudit(tx, ctx, { action: 'customer.assign', entityType: 'customer', entityId: id, before, after, meta: { reason: 'escalation' } });
    },
  };
}
