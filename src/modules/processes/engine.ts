import { randomUUID } from 'node:crypto';
import jsonLogic from 'json-logic-js';
import { recordAudit } from '../../platform/audit/audit.ts';
import { type Ctx, systemCtx } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/db.ts';
import { type DomainEvent, emit } from '../../platform/events/events.ts';
import { AppError, fieldError } from '../../platform/http/errors.ts';
import { jsonTooLarge, jsonTooLargeError } from '../../platform/http/input-guard.ts';
import {
  cancelTimers,
  registerTimerHandler,
  registerTimerPrefetch,
  scheduleTimer,
  type TimerPrefetch,
  type TimerRow,
} from '../../platform/jobs/timers.ts';
import { type ActionDeps, type ActionEnv, makeActions } from './actions.ts';
import { makeClocks } from './clocks.ts';
import type { ProcessDefinition, Trigger } from './definition.schema.ts';
import { definitionsRepo } from './definitions.repo.ts';
import type { RecordInfo } from './ports.ts';
import { mayTakeTransition } from './processes.policy.ts';
import { type ClockRow, type InstanceRow, processesRepo as repo } from './processes.repo.ts';

export interface EngineDeps extends ActionDeps {
  now?: () => Date;
}

/** What happened to an instance: a state entered or left, or an event (a domain event of its record, or 'start'). */
export type Moment =
  | { kind: 'enter' | 'exit'; state: string }
  | { kind: 'event'; event: string; payload?: EventFacts };

/** A domain event as process conditions see it (`event.type`, `event.data.…`, `event.actorId`). */
export interface EventFacts {
  type: string;
  data: Record<string, unknown>;
  actorId: string | null;
  actorType: string;
  recordType: string | null;
  recordId: string | null;
  related: { type: string; id: string } | null;
  occurredAt: string;
}

export const eventFacts = (e: DomainEvent): EventFacts => ({
  type: e.type,
  data: e.data,
  actorId: e.actorId,
  actorType: e.actorType,
  recordType: e.recordType,
  recordId: e.recordId,
  related: e.related,
  occurredAt: e.occurredAt.toISOString(),
});

type Facts = Record<string, unknown>;

/** Whether a trigger fires for a moment; an event trigger's `when` is checked against the facts. */
function matches(t: Trigger | undefined, m: Moment, facts: () => Facts): boolean {
  if (!t) return false;
  if (m.kind !== 'event')
    return m.kind === 'enter' ? !!t.enter?.includes(m.state) : !!t.exit?.includes(m.state);
  if (t.event !== m.event) return false;
  return !t.when || truthy(jsonLogic.apply(t.when, facts()));
}

const truthy = (v: unknown) => !!v && !(Array.isArray(v) && v.length === 0);

/** Process events as consumers see them: the instance and where it stands. */
export function processEventData(
  inst: InstanceRow,
  def: ProcessDefinition,
  extra: Record<string, unknown> = {},
) {
  return {
    process: {
      id: inst.id,
      definitionKey: def.key,
      recordType: inst.record_type,
      recordId: inst.record_id,
      state: inst.state,
      status: inst.status,
      priority: inst.priority,
      assigneeId: inst.assignee_id,
      parentId: inst.parent_id,
    },
    ...extra,
  };
}

/**
 * The process engine: runs instances of a definition version inside the caller's transaction. Entering or
 * leaving a state (and named events) start, pause, resume and stop SLA clocks and fire automations; final
 * states complete the instance. Timers (SLA warning/breach, delayed automations) fire through the same code.
 */
export function makeEngine(deps: EngineDeps) {
  const now = deps.now ?? (() => new Date());
  const clocks = makeClocks(deps.clock);
  const actions = makeActions(deps);

  /** A published version never changes: each is read from the database once per process. */
  const versions = new Map<string, ProcessDefinition>();
  async function definitionOf(tx: Tx, inst: InstanceRow): Promise<ProcessDefinition> {
    const key = `${inst.org_id}:${inst.version_id}`;
    const hit = versions.get(key);
    if (hit) return hit;
    const v = await definitionsRepo.versionById(tx, inst.org_id, inst.version_id);
    if (!v) throw new Error(`version ${inst.version_id} missing`);
    if (versions.size > 5000) versions.clear();
    versions.set(key, v.definition);
    return v.definition;
  }

  async function recordOf(tx: Tx, inst: InstanceRow): Promise<RecordInfo | null> {
    return deps.records.load(tx, inst.org_id, { type: inst.record_type, id: inst.record_id });
  }

  const recordRef = (inst: InstanceRow) => ({ type: inst.record_type, id: inst.record_id });

  function env(
    tx: Tx,
    ctx: Ctx,
    inst: InstanceRow,
    record: RecordInfo | null,
    at: Date,
    source: string,
  ): ActionEnv {
    return {
      tx,
      ctx,
      inst,
      record,
      now: at,
      source,
      startChild: async (key) => {
        await engine.start(tx, ctx, {
          definitionKey: key,
          recordType: inst.record_type,
          recordId: inst.record_id,
          parentId: inst.id,
          at,
        });
      },
      takeTransition: async (key) => {
        await engine.transition(tx, ctx, inst.id, key, {}, { system: true, at });
      },
    };
  }

  /** Applies one moment (enter/exit a state, an event) to clocks and automations. */
  async function apply(tx: Tx, ctx: Ctx, inst: InstanceRow, def: ProcessDefinition, m: Moment, at: Date) {
    let record: RecordInfo | null | undefined;
    // Facts for event conditions: loaded once, only when a condition needs them.
    let cachedFacts: Facts | undefined;
    const eventFactsOf = () =>
      (cachedFacts ??= {
        ...facts(inst, record ?? null),
        event: m.kind === 'event' ? (m.payload ?? { type: m.event, data: {} }) : null,
      });
    const needsRecord =
      m.kind === 'event' &&
      [...def.slas.flatMap((x) => [x.start, x.stop, x.pause]), ...def.automations.map((a) => a.on)].some(
        (t) => t?.event === m.event && t.when,
      );
    if (needsRecord) record = await recordOf(tx, inst);
    const existing = new Map((await repo.clocks(tx, ctx.orgId, inst.id)).map((c) => [c.clock_key, c]));
    for (const sla of def.slas) {
      const c = existing.get(sla.key);
      if (matches(sla.stop, m, eventFactsOf)) {
        if (c) await clocks.stop(tx, ctx, c, at);
      } else if (matches(sla.start, m, eventFactsOf)) {
        await clocks.start(tx, ctx, inst, sla, at);
      } else if (c && matches(sla.pause, m, eventFactsOf)) {
        await clocks.pause(tx, ctx, c, at);
      } else if (c && c.status === 'paused' && m.kind === 'exit' && sla.pause?.enter?.includes(m.state)) {
        await clocks.resume(tx, ctx, c, sla, at);
      }
    }
    for (const auto of def.automations) {
      if (inst.status !== 'active') break;
      if (!matches(auto.on, m, eventFactsOf)) continue;
      if (auto.delay) {
        const due = await deps.clock.add(tx, ctx.orgId, at, auto.delay);
        await scheduleTimer(tx, {
          orgId: ctx.orgId,
          key: `auto:${inst.id}:${auto.key}:${at.toISOString()}`,
          kind: 'process.automation',
          dueAt: due,
          refType: 'process_instance',
          refId: inst.id,
          payload: { automation: auto.key, moment: m, at: at.toISOString() },
        });
        continue;
      }
      record ??= await recordOf(tx, inst);
      cachedFacts = undefined;
      if (auto.when && !truthy(jsonLogic.apply(auto.when, eventFactsOf()))) continue;
      await actions.runAll(env(tx, ctx, inst, record, at, `automation:${auto.key}`), auto.actions);
    }
  }

  function facts(inst: InstanceRow, record: RecordInfo | null | undefined): Facts {
    return {
      data: inst.data,
      record: {
        name: record?.title,
        title: record?.title,
        ownerId: record?.ownerId,
        teamId: record?.teamId,
        ...(record?.facts ?? {}),
      },
      process: { id: inst.id, state: inst.state, priority: inst.priority, assigneeId: inst.assignee_id },
      state: inst.state,
      priority: inst.priority,
    };
  }

  /** Closes what the instance left open: its tasks are cancelled with the reason as their outcome. */
  async function closeTasks(tx: Tx, ctx: Ctx, inst: InstanceRow, reason: string) {
    await deps.tasks.cancelOfSourceInTx(tx, ctx, 'process_instance', inst.id, reason);
  }

  async function moveTo(
    tx: Tx,
    ctx: Ctx,
    inst: InstanceRow,
    def: ProcessDefinition,
    to: string,
    transition: string | null,
    comment: string | null,
    at: Date,
  ) {
    const from = inst.state;
    await apply(tx, ctx, inst, def, { kind: 'exit', state: from }, at);
    const final = !!def.states.find((s) => s.key === to)?.final;
    const before = { ...inst };
    const after = await repo.moveInstance(tx, ctx.orgId, inst.id, { state: to, data: inst.data, final, at });
    Object.assign(inst, after);
    await repo.insertHistory(tx, {
      orgId: ctx.orgId,
      id: randomUUID(),
      instanceId: inst.id,
      transition,
      from,
      to,
      actorId: ctx.actor.userId,
      comment,
      at,
    });
    await recordAudit(tx, ctx, {
      action: 'process.transition',
      entityType: 'process_instance',
      entityId: inst.id,
      before,
      after,
      meta: { transition, from, to, comment },
    });
    await emit(
      tx,
      ctx,
      {
        type: 'process.transitioned',
        record: recordRef(inst),
        data: processEventData(inst, def, { transition, from, to, comment }),
      },
      at,
    );
    await apply(tx, ctx, inst, def, { kind: 'enter', state: to }, at);
    if (final) {
      for (const c of await repo.clocks(tx, ctx.orgId, inst.id)) await clocks.stop(tx, ctx, c, at);
      await cancelTimers(tx, ctx.orgId, inst.id);
      await closeTasks(tx, ctx, inst, 'process_completed');
      await emit(
        tx,
        ctx,
        {
          type: 'process.completed',
          record: recordRef(inst),
          data: processEventData(inst, def, { state: to }),
        },
        at,
      );
    }
  }

  const engine = {
    clocks,
    actions,
    definitionOf,

    async start(
      tx: Tx,
      ctx: Ctx,
      input: {
        definitionKey: string;
        recordType: string;
        recordId: string;
        data?: Record<string, unknown>;
        parentId?: string;
        at?: Date;
        trigger?: string;
      },
    ) {
      const at = input.at ?? now();
      const defRow = await definitionsRepo.definitionByKey(tx, ctx.orgId, input.definitionKey);
      if (!defRow || defRow.current_version === null) throw fieldError('definitionKey', 'errors.not_found');
      const version = (await definitionsRepo.versionByNumber(
        tx,
        ctx.orgId,
        defRow.id,
        defRow.current_version,
      ))!;
      const def = version.definition;
      if (def.recordType !== input.recordType)
        throw fieldError('recordType', 'validation.option', { value: input.recordType });
      if (def.perRecord === 'single') {
        if (await repo.hasActiveInstance(tx, ctx.orgId, defRow.id, input.recordType, input.recordId))
          throw new AppError('process_running');
      }
      const inst = await repo.insertInstance(tx, {
        orgId: ctx.orgId,
        id: randomUUID(),
        definitionId: defRow.id,
        versionId: version.id,
        recordType: input.recordType,
        recordId: input.recordId,
        parentId: input.parentId ?? null,
        state: def.initial,
        data: input.data ?? {},
        startedBy: ctx.actor.userId,
        startedAt: at,
      });
      await repo.insertStartHistory(tx, {
        orgId: ctx.orgId,
        id: randomUUID(),
        instanceId: inst.id,
        to: def.initial,
        actorId: ctx.actor.userId,
        at,
      });
      await recordAudit(tx, ctx, {
        action: 'process.start',
        entityType: 'process_instance',
        entityId: inst.id,
        after: inst,
        meta: { definition: def.key, version: version.number },
      });
      await emit(
        tx,
        ctx,
        {
          type: 'process.started',
          record: recordRef(inst),
          data: processEventData(inst, def, { version: version.number, trigger: input.trigger ?? null }),
        },
        at,
      );
      await apply(tx, ctx, inst, def, { kind: 'event', event: 'start' }, at);
      await apply(tx, ctx, inst, def, { kind: 'enter', state: def.initial }, at);
      return inst;
    },

    /** Ends an active instance without completing it: clocks cancelled, pending timers dropped, audited. */
    async cancel(tx: Tx, ctx: Ctx, inst: InstanceRow, reason: string, at = now()) {
      if (inst.status !== 'active') return inst;
      for (const c of await repo.clocks(tx, ctx.orgId, inst.id)) await clocks.cancel(tx, ctx, c, at);
      await cancelTimers(tx, ctx.orgId, inst.id);
      const after = await repo.cancelInstance(tx, ctx.orgId, inst.id, at);
      await repo.cancelOpenApprovals(tx, ctx.orgId, inst.id);
      await recordAudit(tx, ctx, {
        action: 'process.cancel',
        entityType: 'process_instance',
        entityId: inst.id,
        before: inst,
        after,
        meta: { reason },
      });
      await closeTasks(tx, ctx, after, 'process_cancelled');
      await emit(
        tx,
        ctx,
        {
          type: 'process.cancelled',
          record: recordRef(after),
          data: processEventData(after, await definitionOf(tx, after), { reason }),
        },
        at,
      );
      return after;
    },

    /**
     * (Re)starts a process on a record: cancels its active instances of that definition first. Used when a
     * domain event restarts a rule, e.g. a customer's new owner gets a fresh P1 "contact within 7 days".
     */
    async restart(
      tx: Tx,
      ctx: Ctx,
      input: {
        definitionKey: string;
        recordType: string;
        recordId: string;
        reason: string;
        at?: Date;
        trigger?: string;
      },
    ) {
      const defRow = await definitionsRepo.definitionByKey(tx, ctx.orgId, input.definitionKey);
      if (!defRow) throw fieldError('definitionKey', 'errors.not_found');
      for (const inst of await repo.instancesOfRecord(tx, ctx.orgId, input.recordType, input.recordId)) {
        if (inst.definition_id === defRow.id && inst.status === 'active')
          await this.cancel(tx, ctx, inst, input.reason, input.at);
      }
      return this.start(tx, ctx, input);
    },

    /** Takes a transition, or opens its approval when it needs one. `system` skips role checks (automations). */
    async transition(
      tx: Tx,
      ctx: Ctx,
      instanceId: string,
      key: string,
      input: { fields?: Record<string, unknown>; comment?: string },
      opts: { system?: boolean; approved?: boolean; at?: Date; ifMatch?: number } = {},
    ): Promise<{ instance: InstanceRow; pendingApproval: boolean }> {
      const at = opts.at ?? now();
      const inst = await repo.instance(tx, ctx.orgId, instanceId, true);
      if (!inst) throw new AppError('not_found');
      if (opts.ifMatch !== undefined && opts.ifMatch !== inst.version) throw new AppError('stale');
      const def = await definitionOf(tx, inst);
      const t = def.transitions.find((x) => x.key === key);
      if (!t) throw fieldError('transition', 'validation.unknown_transition');
      if (inst.status !== 'active') throw new AppError('process_closed');
      if (inst.pending_transition && !opts.approved) throw new AppError('approval_pending');
      if (t.from !== '*' && !t.from.includes(inst.state))
        throw new AppError('transition_not_allowed', { vars: { state: inst.state } });
      if (!opts.system && !mayTakeTransition(ctx, t)) throw new AppError('forbidden');
      inst.data = { ...inst.data, ...(input.fields ?? {}) };
      // Each transition's fields are capped by the route; what they add up to is capped here.
      if (input.fields && jsonTooLarge(inst.data)) throw jsonTooLargeError('fields');
      const missing = (t.requiredFields ?? []).filter(
        (f) => inst.data[f] === undefined || inst.data[f] === null || inst.data[f] === '',
      );
      if (missing.length)
        throw new AppError('validation', {
          fields: Object.fromEntries(missing.map((f) => [`fields.${f}`, { key: 'validation.required' }])),
        });
      const record = await recordOf(tx, inst);
      if (
        t.guard &&
        !truthy(
          jsonLogic.apply(t.guard, {
            ...facts(inst, record),
            actor: { role: ctx.actor.roleKey, id: ctx.actor.userId },
          }),
        )
      ) {
        throw new AppError('transition_not_allowed', { vars: { state: inst.state } });
      }
      if (t.approval && !opts.approved) {
        const steps = t.approval.steps.filter(
          (s) => !s.when || truthy(jsonLogic.apply(s.when, facts(inst, record))),
        );
        if (steps.length) {
          for (const [i, s] of steps.entries()) {
            await repo.insertApproval(tx, {
              orgId: ctx.orgId,
              id: randomUUID(),
              instanceId: inst.id,
              transition: t.key,
              step: i + 1,
              approverRole: s.role,
              status: i === 0 ? 'pending' : 'waiting',
              requestedBy: ctx.actor.userId,
              fields: input.fields ?? {},
              comment: input.comment ?? null,
              requestedAt: at,
            });
          }
          const before = { ...inst };
          const after = await repo.setPendingTransition(tx, ctx.orgId, inst.id, t.key, inst.data);
          await recordAudit(tx, ctx, {
            action: 'process.approval_requested',
            entityType: 'process_instance',
            entityId: inst.id,
            before,
            after,
            meta: { transition: t.key, steps: steps.map((s) => s.role) },
          });
          await emit(
            tx,
            ctx,
            {
              type: 'approval.requested',
              record: recordRef(after),
              data: processEventData(after, def, {
                transition: t.key,
                approverRoles: steps.map((s) => s.role),
              }),
            },
            at,
          );
          await this.notifyApprovers(tx, ctx, after, steps[0].role, record);
          return { instance: after, pendingApproval: true };
        }
      }
      await moveTo(tx, ctx, inst, def, t.to, t.key, input.comment ?? null, at);
      return { instance: inst, pendingApproval: false };
    },

    async notifyApprovers(tx: Tx, ctx: Ctx, inst: InstanceRow, role: string, record: RecordInfo | null) {
      if (!deps.notifier) return;
      const users = (await deps.identity.directory(ctx, tx))
        .filter((u) => u.role_key === role)
        .map((u) => u.id);
      if (users.length) {
        const title = record?.title ?? (await recordOf(tx, inst))?.title ?? '';
        await deps.notifier.notify(tx, ctx, {
          userIds: users,
          kind: 'process.approval',
          title: {
            'zh-CN': `待审批：${title}`,
            en: `Approval needed: ${title}`,
            es: `Aprobación pendiente: ${title}`,
          },
          body: '',
          record: recordRef(inst),
          data: { instanceId: inst.id },
        });
      }
    },

    /** A named event (e.g. 'order.paid') on an instance: triggers clocks and automations listening for it. */
    async event(tx: Tx, ctx: Ctx, inst: InstanceRow, event: string, at = now(), payload?: EventFacts) {
      await apply(tx, ctx, inst, await definitionOf(tx, inst), { kind: 'event', event, payload }, at);
    },

    /** Timer handlers: SLA warning and breach, delayed automations. Each runs once per timer key. */
    registerTimers() {
      /** A batch of SLA timers: their clocks, instances and records in three statements, locked in id order. */
      const prefetch: TimerPrefetch = async (tx, timers, memo) => {
        const clockRows = await repo.clocksForUpdate(
          tx,
          timers.filter((t) => t.ref_id).map((t) => [t.org_id, t.ref_id!]),
        );
        for (const c of clockRows) memo.set(`clock:${c.id}`, c);
        const insts = await repo.instancesForUpdate(tx, [
          ...new Map(
            clockRows.map((c) => [c.instance_id, [c.org_id, c.instance_id] as [string, string]]),
          ).values(),
        ]);
        for (const i of insts) memo.set(`inst:${i.id}`, i);
        const byOrg = new Map<string, Array<{ type: string; id: string }>>();
        for (const i of insts) byOrg.set(i.org_id, [...(byOrg.get(i.org_id) ?? []), recordRef(i)]);
        for (const [orgId, refs] of byOrg) {
          for (const [k, r] of await deps.records.loadRefs(tx, orgId, refs)) memo.set(`record:${k}`, r);
        }
      };
      registerTimerPrefetch('sla.breach', prefetch);
      registerTimerPrefetch('sla.warn', prefetch);
      const load = async (tx: Tx, timer: TimerRow, memo: Map<string, unknown>) => {
        const c =
          (memo.get(`clock:${timer.ref_id}`) as ClockRow | undefined) ??
          (await repo.clock(tx, timer.org_id, timer.ref_id!, true));
        const inst =
          c &&
          ((memo.get(`inst:${c.instance_id}`) as InstanceRow | undefined) ??
            (await repo.instance(tx, timer.org_id, c.instance_id, true)));
        return c && inst ? { c, inst, def: await definitionOf(tx, inst) } : null;
      };
      const fire = async (
        tx: Tx,
        timer: TimerRow,
        kind: 'warn' | 'breach',
        at: Date,
        memo: Map<string, unknown>,
      ) => {
        const found = await load(tx, timer, memo);
        if (!found) return;
        const { c, inst, def } = found;
        const sla = def.slas.find((s) => s.key === c.clock_key);
        const dueField = kind === 'breach' ? c.due_at : c.warn_at;
        // Stale timers (clock paused, stopped or rescheduled since) do nothing.
        if (
          !sla ||
          c.status !== 'running' ||
          !dueField ||
          dueField.toISOString() !== (timer.payload.dueAt ?? timer.payload.warnAt)
        )
          return;
        const ctx = systemCtx(timer.org_id, { name: `sla.${kind}`, requestId: `timer-${timer.id}` });
        const marked: ClockRow =
          kind === 'breach' ? await clocks.markBreached(tx, ctx, c) : await clocks.markWarned(tx, ctx, c, at);
        await emit(
          tx,
          ctx,
          {
            type: kind === 'breach' ? 'sla.breached' : 'sla.warning',
            record: recordRef(inst),
            data: processEventData(inst, def, {
              sla: {
                key: sla.key,
                dueAt: marked.due_at?.toISOString() ?? null,
                startedAt: marked.started_at.toISOString(),
              },
            }),
          },
          at,
        );
        const record =
          (memo.get(`record:${inst.record_type}:${inst.record_id}`) as RecordInfo | undefined) ??
          (await recordOf(tx, inst));
        const run = env(tx, ctx, inst, record, at, `sla:${sla.key}:${kind}`);
        await actions.runAll(run, kind === 'breach' ? sla.onBreach : sla.onWarn);
        // The clock changed (and the record, if an action handed it over): a later timer of this batch on either
        // reads it anew. The instance object is the one the actions updated.
        memo.delete(`clock:${c.id}`);
        if (run.recordChanged) memo.delete(`record:${inst.record_type}:${inst.record_id}`);
      };
      registerTimerHandler('sla.breach', (tx, timer, { now: at, memo }) =>
        fire(tx, timer, 'breach', at, memo),
      );
      registerTimerHandler('sla.warn', (tx, timer, { now: at, memo }) => fire(tx, timer, 'warn', at, memo));
      registerTimerHandler('process.automation', async (tx, timer, { now: at }) => {
        const inst = await repo.instance(tx, timer.org_id, timer.ref_id!, true);
        if (!inst || inst.status !== 'active') return;
        const def = await definitionOf(tx, inst);
        const auto = def.automations.find((a) => a.key === timer.payload.automation);
        const moment = timer.payload.moment as Moment;
        if (!auto) return;
        // An automation delayed after entering a state only fires if the instance is still there.
        if (moment.kind === 'enter' && inst.state !== moment.state) return;
        const ctx = systemCtx(timer.org_id, {
          name: `automation.${auto.key}`,
          requestId: `timer-${timer.id}`,
        });
        const record = await recordOf(tx, inst);
        if (
          auto.when &&
          !truthy(
            jsonLogic.apply(auto.when, {
              ...facts(inst, record),
              event: moment.kind === 'event' ? (moment.payload ?? null) : null,
            }),
          )
        )
          return;
        await actions.runAll(env(tx, ctx, inst, record, at, `automation:${auto.key}`), auto.actions);
      });
    },
  };
  return engine;
}

export type Engine = ReturnType<typeof makeEngine>;
