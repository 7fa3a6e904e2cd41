import { recordAudit } from '../../platform/audit/audit.ts';
import { BUILTIN_ROLES } from '../../platform/auth/permissions.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Queryable } from '../../platform/db/db.ts';
import type { PageRequest } from '../../platform/db/paging.ts';
import { emit } from '../../platform/events/events.ts';
import { AppError, assertId, fieldError, notFound } from '../../platform/http/errors.ts';
import type { RecordRegistry } from '../../platform/records/registry.ts';
import type { IdentityService } from '../identity/index.ts';
import type { ProcessDefinition } from './definition.schema.ts';
import { definitionsRepo } from './definitions.repo.ts';
import type { makeDefinitionsService } from './definitions.service.ts';
import type { Engine } from './engine.ts';
import { processEventData } from './engine.ts';
import { approverRoleScope, authorize, mayDecide, mayTakeTransition } from './processes.policy.ts';
import { type InstanceRow, processesRepo as repo } from './processes.repo.ts';

/**
 * Use cases on running processes: start one on a record, read it (with the transitions the actor may take,
 * its clocks, approvals and history), take a transition, fire an event, decide an approval. Access follows
 * the record: whoever may see the customer (or case, job…) may work its processes.
 */
/** A role by name in the reader's language: a built-in role by its translation, another by its stored name. */
function roleName(ctx: Ctx, key: string, role: { name: string; builtin: boolean } | undefined): string {
  const builtin = (BUILTIN_ROLES as Record<string, { name: Record<string, string> }>)[key];
  if (builtin && (!role || role.builtin)) return builtin.name[ctx.locale] ?? builtin.name.en;
  if (key === '*') return '*';
  return role?.name ?? key;
}

export function makeInstancesService(
  db: Db,
  engine: Engine,
  definitions: ReturnType<typeof makeDefinitionsService>,
  records: RecordRegistry,
  identity?: Pick<IdentityService, 'namesByIds' | 'roleNamesByKey'>,
) {
  async function visibleInstance(q: Queryable, ctx: Ctx, id: string, forUpdate = false) {
    const inst = await repo.instance(q, ctx.orgId, assertId(id), forUpdate);
    if (!inst) throw notFound();
    if (!(await records.visible(q, ctx, { type: inst.record_type, id: inst.record_id }))) throw notFound();
    return inst;
  }

  async function view(q: Queryable, ctx: Ctx, inst: InstanceRow) {
    const version = (await definitionsRepo.versionById(q, ctx.orgId, inst.version_id))!;
    const def: ProcessDefinition = version.definition;
    const available =
      inst.status !== 'active' || inst.pending_transition
        ? []
        : def.transitions.filter(
            (t) => (t.from === '*' || t.from.includes(inst.state)) && mayTakeTransition(ctx, t),
          );
    return {
      instance: inst,
      definition: def,
      versionNumber: version.number,
      available,
      clocks: await repo.clocks(q, ctx.orgId, inst.id),
      approvals: await repo.approvals(q, ctx.orgId, inst.id),
      history: await repo.history(q, ctx.orgId, inst.id),
    };
  }

  return {
    view,
    async start(
      ctx: Ctx,
      input: { definitionKey: string; recordType: string; recordId: string; data?: Record<string, unknown> },
    ) {
      authorize(ctx, 'instance.start');
      if (!records.has(input.recordType))
        throw fieldError('recordType', 'validation.option', { value: input.recordType });
      return db.transaction(async (tx) => {
        await definitions.ensureBuiltins(tx, ctx.orgId);
        if (!(await records.visible(tx, ctx, { type: input.recordType, id: assertId(input.recordId) })))
          throw fieldError('recordId', 'errors.not_found');
        const inst = await engine.start(tx, ctx, input);
        return view(tx, ctx, (await repo.instance(tx, ctx.orgId, inst.id))!);
      });
    },

    async get(ctx: Ctx, id: string) {
      authorize(ctx, 'instance.view');
      return view(db, ctx, await visibleInstance(db, ctx, id));
    },

    async listForRecord(ctx: Ctx, recordType: string, recordId: string, page: PageRequest) {
      authorize(ctx, 'instance.view');
      const id = assertId(recordId);
      if (!(await records.visible(db, ctx, { type: recordType, id }))) throw notFound();
      return repo.instancesOfRecordPage(db, ctx.orgId, recordType, id, page);
    },

    async transition(
      ctx: Ctx,
      id: string,
      input: { transition: string; fields?: Record<string, unknown>; comment?: string },
      ifMatch?: number,
    ) {
      authorize(ctx, 'instance.transition');
      return db.transaction(async (tx) => {
        await visibleInstance(tx, ctx, id, true);
        const r = await engine.transition(tx, ctx, id, input.transition, input, { ifMatch });
        return {
          ...(await view(tx, ctx, (await repo.instance(tx, ctx.orgId, id))!)),
          pendingApproval: r.pendingApproval,
        };
      });
    },

    async event(ctx: Ctx, id: string, event: string) {
      authorize(ctx, 'instance.event');
      return db.transaction(async (tx) => {
        const inst = await visibleInstance(tx, ctx, id, true);
        if (inst.status !== 'active') throw new AppError('process_closed');
        await engine.event(tx, ctx, inst, event);
        return view(tx, ctx, (await repo.instance(tx, ctx.orgId, id))!);
      });
    },

    /** Approvals waiting for the actor's role (admins see all). */
    /** Approvals waiting for the actor, on records the actor may see (through the registry), with their titles. */
    async pendingApprovals(ctx: Ctx, page: PageRequest) {
      authorize(ctx, 'approval.list');
      const r = await repo.pendingApprovalsPage(db, ctx.orgId, approverRoleScope(ctx), page);
      const seen = await records.visibleRefs(
        db,
        ctx,
        r.items.map((a) => ({ type: a.record_type, id: a.record_id })),
      );
      const items = r.items.flatMap((a) => {
        const rec = seen.get(`${a.record_type}:${a.record_id}`);
        const route = records.route({ type: a.record_type, id: a.record_id });
        return rec && route ? [{ ...a, record_title: rec.title, record_route: route }] : [];
      });
      // Who asked, and the step's role by name: what an approver needs to decide without opening the record.
      const askers = [...new Set(items.flatMap((a) => (a.requested_by ? [a.requested_by] : [])))];
      const names = identity && askers.length ? await identity.namesByIds(ctx.orgId, askers) : new Map();
      const roles = identity && items.length ? await identity.roleNamesByKey(ctx.orgId) : new Map();
      return {
        ...r,
        items: items.map((a) => ({
          ...a,
          requested_by_name: a.requested_by ? (names.get(a.requested_by) ?? null) : null,
          approver_role_name: roleName(ctx, a.approver_role, roles.get(a.approver_role)),
        })),
      };
    },

    /** Approve or reject one step. The last approval takes the transition; a rejection cancels the request. */
    async decide(ctx: Ctx, approvalId: string, input: { decision: 'approve' | 'reject'; comment?: string }) {
      authorize(ctx, 'approval.decide');
      return db.transaction(async (tx) => {
        const a = await repo.lockApproval(tx, ctx.orgId, assertId(approvalId));
        if (!a) throw notFound();
        const inst = await visibleInstance(tx, ctx, a.instance_id, true);
        if (a.status !== 'pending') throw new AppError('approval_not_pending');
        if (!mayDecide(ctx, a)) throw new AppError('forbidden');
        const status = input.decision === 'approve' ? 'approved' : 'rejected';
        const after = await repo.decideApproval(
          tx,
          ctx.orgId,
          a.id,
          status,
          ctx.actor.userId,
          input.comment ?? null,
        );
        await recordAudit(tx, ctx, {
          action: `approval.${status}`,
          entityType: 'approval',
          entityId: a.id,
          before: a,
          after,
          meta: { instanceId: inst.id, transition: a.transition },
        });
        await emit(tx, ctx, {
          type: 'approval.decided',
          record: { type: inst.record_type, id: inst.record_id },
          data: processEventData(inst, await engine.definitionOf(tx, inst), {
            approval: {
              id: a.id,
              transition: a.transition,
              step: a.step,
              approverRole: a.approver_role,
              decision: status,
              comment: input.comment ?? null,
            },
          }),
        });
        const siblings = (await repo.approvals(tx, ctx.orgId, inst.id)).filter(
          (x) => x.transition === a.transition && x.requested_at.getTime() === a.requested_at.getTime(),
        );
        if (status === 'rejected') {
          await repo.cancelWaitingApprovals(tx, ctx.orgId, inst.id);
          const cleared = await repo.clearPendingTransition(tx, ctx.orgId, inst.id);
          await recordAudit(tx, ctx, {
            action: 'process.approval_rejected',
            entityType: 'process_instance',
            entityId: inst.id,
            before: inst,
            after: cleared,
            meta: { transition: a.transition, comment: input.comment ?? null },
          });
        } else {
          const next = siblings.find((x) => x.status === 'waiting');
          if (next) {
            await repo.makeApprovalPending(tx, ctx.orgId, next.id);
            await engine.notifyApprovers(tx, ctx, inst, next.approver_role, null);
          } else {
            await engine.transition(
              tx,
              ctx,
              inst.id,
              a.transition,
              { fields: a.fields, comment: input.comment },
              { system: true, approved: true },
            );
          }
        }
        return view(tx, ctx, (await repo.instance(tx, ctx.orgId, inst.id))!);
      });
    },
  };
}

export type InstancesService = ReturnType<typeof makeInstancesService>;
