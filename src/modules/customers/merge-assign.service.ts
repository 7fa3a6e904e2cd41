import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/db.ts';
import { emit } from '../../platform/events/events.ts';
import { AppError, fieldError, isUuid } from '../../platform/http/errors.ts';
import { pinyinSortKey } from '../../platform/search/pinyin.ts';
import { unionTokens } from '../../platform/search/tokens.ts';
import type { UserWithRole } from '../identity/index.ts';
import { activitiesRepo } from './activities.repo.ts';
import { contactsRepo } from './contacts.repo.ts';
import { customerEventData } from './customers.events.ts';
import { authorize, customerScope } from './customers.policy.ts';
import { type CustomerRow, type ListFilter, customersRepo as repo } from './customers.repo.ts';
import type { CustomersCore, Deps } from './customers.service.ts';
import { normalizeName } from './normalize.ts';

const MAX_ASSIGN = 5000;

/** Columns a merge fills on the survivor when the survivor has none. */
const FILLABLE = [
  'mobile',
  'email',
  'phone',
  'address',
  'person_in_charge',
  'contact_person',
  'position',
  'gender',
  'birthday',
  'age',
  'best_contact_time',
  'hobbies',
  'family_notes',
  'notes',
  'source_channel',
  'member_level',
  'external_ref',
] as const;

/** Fields (as the API names them) whose value a merge may take from the source instead of the survivor. */
export const MERGE_TAKEABLE = {
  name: 'name',
  mobile: 'mobile',
  email: 'email',
  phone: 'phone',
  address: 'address',
  personInCharge: 'person_in_charge',
  contactPerson: 'contact_person',
  position: 'position',
  gender: 'gender',
  birthday: 'birthday',
  age: 'age',
  bestContactTime: 'best_contact_time',
  hobbies: 'hobbies',
  familyNotes: 'family_notes',
  notes: 'notes',
  sourceChannel: 'source_channel',
  memberLevel: 'member_level',
  externalRef: 'external_ref',
} as const;
export type MergeTakeable = keyof typeof MERGE_TAKEABLE;

export interface AssignInput {
  customerIds?: string[];
  filter?: Omit<ListFilter, 'qTokens' | 'qMobile' | 'ids' | 'status'>;
  strategy: 'agent' | 'least_loaded';
  agentId?: string;
  skill?: string;
}

export function makeMergeAssignService(db: Db, core: CustomersCore, deps: Deps) {
  /** Gives a customer a new owner, and the owner the first-contact task. */
  async function assignOne(tx: Tx, ctx: Ctx, before: CustomerRow, owner: UserWithRole) {
    const after = await repo.update(tx, ctx.orgId, before.id, {
      owner_id: owner.id,
      team_id: owner.team_ids[0] ?? before.team_id,
      assigned_at: new Date(),
    });
    await recordAudit(tx, ctx, {
      action: 'customer.assign',
      entityType: 'customer',
      entityId: before.id,
      before,
      after,
    });
    await emit(tx, ctx, {
      type: 'customer.assigned',
      record: { type: 'customer', id: before.id },
      data: { ...customerEventData(after), previousOwnerId: before.owner_id },
    });
    return after;
  }

  return {
    /**
     * Merges `sourceId` into `targetId`: the survivor keeps its values, except the fields in `take` (the side-by-
     * side choice), which come from the source, and fills its gaps from the source; contacts, activities and
     * tasks move over; the source stays as a 'merged' record pointing at the survivor, so both histories remain
     * readable.
     */
    async merge(ctx: Ctx, targetId: string, sourceId: string, take: MergeTakeable[] = []) {
      authorize(ctx, 'customer.merge');
      if (targetId === sourceId) throw new AppError('merge_self');
      return db.transaction(async (tx) => {
        const target = await core.visible(tx, ctx, targetId, { forUpdate: true });
        let source: CustomerRow;
        try {
          source = await core.visible(tx, ctx, sourceId, { forUpdate: true });
        } catch {
          throw fieldError('sourceId', 'errors.not_found');
        }
        // Free the source's unique keys first, then give the survivor what it lacks.
        const sourceAfter = await repo.update(tx, ctx.orgId, source.id, {
          status: 'merged',
          merged_into_id: target.id,
          external_ref: null,
        });
        const patch: Record<string, unknown> = {};
        for (const col of FILLABLE) {
          if ((target[col] === null || target[col] === '') && source[col] !== null) patch[col] = source[col];
        }
        for (const field of take) {
          const col = MERGE_TAKEABLE[field];
          if (col === 'name' && !source.name) continue;
          patch[col] = source[col];
        }
        const name = (patch.name as string | undefined) ?? target.name;
        if (patch.name !== undefined) patch.name_pinyin = pinyinSortKey(name);
        patch.tags = [...new Set([...target.tags, ...source.tags])];
        patch.custom = { ...source.custom, ...target.custom };
        patch.search_tokens = unionTokens(target.search_tokens, source.search_tokens);
        patch.name_normalized = normalizeName(name, target.kind);
        const targetAfter = await repo.update(tx, ctx.orgId, target.id, patch);
        const moved = { contacts: 0, activities: 0, tasks: 0 };
        const contacts = await contactsRepo.moveToCustomer(tx, ctx.orgId, source.id, target.id);
        for (const c of contacts) {
          await recordAudit(tx, ctx, {
            action: 'contact.move',
            entityType: 'contact',
            entityId: c.id,
            before: { ...c, customer_id: source.id },
            after: c,
            meta: { mergedFrom: source.id },
          });
        }
        moved.contacts = contacts.length;
        const acts = await activitiesRepo.moveToCustomer(tx, ctx.orgId, source.id, target.id);
        for (const a of acts) {
          await recordAudit(tx, ctx, {
            action: 'activity.move',
            entityType: 'activity',
            entityId: a.id,
            before: { ...a, customer_id: source.id },
            after: a,
          });
        }
        moved.activities = acts.length;
        const tasks = await repo.moveTasksToCustomer(tx, ctx.orgId, source.id, target.id);
        for (const task of tasks) {
          await recordAudit(tx, ctx, {
            action: 'task.move',
            entityType: 'task',
            entityId: task.id as string,
            before: { ...task, related_id: source.id },
            after: task,
          });
        }
        moved.tasks = tasks.length;
        await recordAudit(tx, ctx, {
          action: 'customer.merged_into',
          entityType: 'customer',
          entityId: source.id,
          before: source,
          after: sourceAfter,
          meta: { targetId: target.id },
        });
        await recordAudit(tx, ctx, {
          action: 'customer.merge',
          entityType: 'customer',
          entityId: target.id,
          before: target,
          after: targetAfter,
          meta: { sourceId: source.id, moved },
        });
        await emit(tx, ctx, {
          type: 'customer.merged',
          record: { type: 'customer', id: target.id },
          data: { ...customerEventData(targetAfter), sourceId: source.id, moved },
        });
        return (await core.present(ctx, [targetAfter], tx))[0];
      });
    },

    /**
     * Assigns selected or filtered customers to one agent, or to the least-loaded active member having a skill
     * (load = active customers owned, counting this batch as it goes). Each new owner gets a "contact within
     * 7 days" task.
     */
    async assign(ctx: Ctx, input: AssignInput) {
      authorize(ctx, 'customer.assign');
      return db.transaction(async (tx) => {
        const filter: ListFilter = input.customerIds
          ? { ids: input.customerIds.filter(isUuid) }
          : { ...(input.filter ?? {}) };
        const targets = await repo.lockVisible(tx, ctx.orgId, customerScope(ctx), filter, MAX_ASSIGN);
        if (input.customerIds && targets.length !== new Set(input.customerIds).size)
          throw fieldError('customerIds', 'errors.not_found');

        let candidates: UserWithRole[];
        if (input.strategy === 'agent') {
          if (!input.agentId) throw fieldError('agentId', 'validation.required');
          const u = isUuid(input.agentId)
            ? (await deps.identity.usersByIds(ctx.orgId, [input.agentId], tx))[0]
            : undefined;
          if (!u || u.status !== 'active') throw fieldError('agentId', 'validation.user_not_found');
          candidates = [u];
        } else {
          const all = await deps.identity.directory(ctx, tx);
          candidates = all.filter((u) =>
            input.skill ? u.skills.includes(input.skill) : u.role_key === 'agent',
          );
          if (!candidates.length) throw fieldError('skill', 'validation.no_candidates');
        }
        const load = new Map<string, number>();
        const counts = await repo.activeCountsByOwner(
          tx,
          ctx.orgId,
          candidates.map((c) => c.id),
        );
        for (const c of candidates) load.set(c.id, 0);
        for (const r of counts) load.set(r.owner_id, r.n);

        const assignments: Array<{ customerId: string; ownerId: string; ownerName: string }> = [];
        for (const customer of targets) {
          const owner = [...candidates].sort(
            (a, b) =>
              load.get(a.id)! - load.get(b.id)! || a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
          )[0];
          if (customer.owner_id === owner.id) continue;
          if (customer.owner_id && load.has(customer.owner_id))
            load.set(customer.owner_id, load.get(customer.owner_id)! - 1);
          await assignOne(tx, ctx, customer, owner);
          load.set(owner.id, load.get(owner.id)! + 1);
          assignments.push({ customerId: customer.id, ownerId: owner.id, ownerName: owner.name });
        }
        return { assigned: assignments.length, assignments, batchId: randomUUID() };
      });
    },
  };
}
