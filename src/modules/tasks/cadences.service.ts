import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit.ts';
import { type Ctx, systemCtx } from '../../platform/context.ts';
import type { Db, Queryable, Tx } from '../../platform/db/db.ts';
import type { PageRequest } from '../../platform/db/paging.ts';
import { registerConsumer } from '../../platform/events/dispatcher.ts';
import { AppError, assertId, fieldError, notFound } from '../../platform/http/errors.ts';
import type { Locale } from '../../platform/i18n/i18n.ts';
import { cancelTimers, registerTimerHandler, scheduleTimer } from '../../platform/jobs/timers.ts';
import type { RecordRegistry } from '../../platform/records/registry.ts';
import type { IdentityService } from '../identity/index.ts';
import { builtinTemplates } from './cadence-templates.ts';
import { type CadenceStep, type RunRow, cadencesRepo as repo, type TemplateRow } from './cadences.repo.ts';
import { allowed, authorize, inWorkScope, workScope } from './tasks.policy.ts';
import type { TaskRow, TasksService } from './tasks.service.ts';
import type { WorkingTime } from './working-time.ts';

export const CADENCE_STEP_TIMER = 'cadence.step';
export const CADENCE_TASK_KIND = 'cadence_step';
const SOURCE = 'cadence_run';

export interface TemplateInput {
  key: string;
  name: string;
  description?: string;
  recordType: string;
  steps: CadenceStep[];
  stopOn?: string[];
}

export interface StartInput {
  templateId?: string;
  templateKey?: string;
  recordType: string;
  recordId: string;
  assigneeId?: string;
}

export interface RecordEvent {
  recordType: string;
  recordId: string;
  event: string;
}

/**
 * Cadences: a template's ordered steps run on one record. Each step becomes a task when it is due (a durable
 * timer `cadence:<run>:<step>`); completing the step's task records its outcome and schedules the next step
 * from that moment, in working time. A stop (explicit, or an event named in the template's stopOn) cancels the
 * pending timers and the open step tasks.
 */
export function makeCadencesService(
  db: Db,
  deps: {
    tasks: TasksService;
    workingTime: WorkingTime;
    identity: Pick<IdentityService, 'org' | 'usersByIds' | 'teamMemberIds'>;
    records?: RecordRegistry;
  },
) {
  const { tasks, workingTime } = deps;

  async function ensureBuiltinsInTx(tx: Tx, ctx: Ctx, locale: Locale) {
    for (const def of builtinTemplates(locale)) {
      const row = await repo.insertTemplate(tx, {
        org_id: ctx.orgId,
        id: randomUUID(),
        key: def.key,
        name: def.name,
        description: def.description,
        record_type: def.recordType,
        steps: def.steps,
        stop_on: def.stopOn,
        builtin: true,
      });
      if (row)
        await recordAudit(tx, ctx, {
          action: 'cadence_template.create',
          entityType: 'cadence_template',
          entityId: row.id,
          after: row,
        });
    }
  }

  async function ensureBuiltins(ctx: Ctx) {
    const org = await deps.identity.org(ctx.orgId);
    await db.transaction((tx) => ensureBuiltinsInTx(tx, ctx, (org.locale as Locale) || ctx.locale));
  }

  /** Creates the step row at `position` due `offset` after `from`; a step already due becomes a task at once. */
  async function scheduleStep(
    tx: Tx,
    ctx: Ctx,
    run: RunRow,
    tpl: TemplateRow,
    position: number,
    from: Date,
    now: Date,
  ) {
    const def = tpl.steps[position];
    const dueAt = await workingTime.add(tx, ctx.orgId, from, def.offset ?? {});
    const step = await repo.insertStep(tx, {
      org_id: ctx.orgId,
      id: randomUUID(),
      run_id: run.id,
      position,
      channel: def.channel,
      title: def.title,
      due_at: dueAt,
    });
    await recordAudit(tx, ctx, {
      action: 'cadence_step.schedule',
      entityType: 'cadence_run_step',
      entityId: step.id,
      after: step,
    });
    if (dueAt.getTime() <= now.getTime()) await materialize(tx, ctx, run, tpl, position);
    else
      await scheduleTimer(tx, {
        orgId: ctx.orgId,
        key: `cadence:${run.id}:${position}`,
        kind: CADENCE_STEP_TIMER,
        dueAt,
        refType: SOURCE,
        refId: run.id,
        payload: { position },
      });
  }

  /** The step becomes a task for the run's assignee (once: a step that has its task is left alone). */
  async function materialize(tx: Tx, ctx: Ctx, run: RunRow, tpl: TemplateRow, position: number) {
    const step = await repo.step(tx, ctx.orgId, run.id, position);
    if (step?.status !== 'scheduled' || run.status !== 'running') return;
    const def = tpl.steps[position];
    const task = await tasks.createInTx(tx, ctx, {
      kind: CADENCE_TASK_KIND,
      title: `${def.title} (${position + 1}/${tpl.steps.length})`,
      description: def.script,
      assigneeId: run.assignee_id,
      dueAt: step.due_at,
      priority: 'high',
      urgent: true,
      important: def.channel === 'call',
      relatedType: run.record_type,
      relatedId: run.record_id,
      channel: def.channel,
      sourceType: SOURCE,
      sourceId: run.id,
    });
    const after = await repo.setStep(tx, ctx.orgId, step.id, {
      status: 'open',
      task_id: task.id,
      outcome: null,
    });
    await recordAudit(tx, ctx, {
      action: 'cadence_step.open',
      entityType: 'cadence_run_step',
      entityId: step.id,
      before: step,
      after,
    });
  }

  async function stopInTx(tx: Tx, ctx: Ctx, run: RunRow, reason: string) {
    const after = await repo.setRun(tx, ctx.orgId, run.id, {
      status: 'stopped',
      current_step: run.current_step,
      stop_reason: reason,
    });
    await recordAudit(tx, ctx, {
      action: 'cadence_run.stop',
      entityType: 'cadence_run',
      entityId: run.id,
      before: run,
      after,
      meta: { reason },
    });
    await cancelTimers(tx, ctx.orgId, run.id, [CADENCE_STEP_TIMER]);
    await tasks.cancelOfSourceInTx(tx, ctx, SOURCE, run.id, reason);
    for (const s of await repo.steps(tx, ctx.orgId, run.id)) {
      if (s.status !== 'scheduled' && s.status !== 'open') continue;
      const closed = await repo.setStep(tx, ctx.orgId, s.id, {
        status: 'cancelled',
        task_id: s.task_id,
        outcome: reason,
      });
      await recordAudit(tx, ctx, {
        action: 'cadence_step.cancel',
        entityType: 'cadence_run_step',
        entityId: s.id,
        before: s,
        after: closed,
      });
    }
    return after;
  }

  async function eventInTx(tx: Tx, ctx: Ctx, e: RecordEvent) {
    const stopped: RunRow[] = [];
    for (const run of await repo.runningOnRecord(tx, ctx.orgId, e.recordType, e.recordId)) {
      const tpl = await repo.template(tx, ctx.orgId, { id: run.template_id });
      if (tpl?.stop_on.includes(e.event)) stopped.push(await stopInTx(tx, ctx, run, e.event));
    }
    return stopped;
  }

  /** Whose runs a list shows: undefined = everyone's (the actor sees all work). */
  async function runScope(ctx: Ctx): Promise<string[] | undefined> {
    if (!allowed(ctx, 'work.team')) return ctx.actor.userId ? [ctx.actor.userId] : [];
    const scope = await workScope(ctx, deps.identity);
    return scope.all ? undefined : [...scope.userIds];
  }

  async function readableRun(ctx: Ctx, id: string) {
    const run = await repo.run(db, ctx.orgId, assertId(id));
    if (!run || !(await mayWork(ctx, run))) throw notFound();
    return run;
  }

  /** The run's assignee, or someone whose scope (a supervisor's teams) includes them. */
  async function mayWork(ctx: Ctx, run: RunRow, q: Queryable = db) {
    if (run.assignee_id === ctx.actor.userId) return true;
    return allowed(ctx, 'work.team') && inWorkScope(await workScope(ctx, deps.identity, q), run.assignee_id);
  }

  /**
   * Cadences hear domain events through the dispatcher: an event on a record (or on a record related to it)
   * stops the running cadences whose template lists its type in stopOn (e.g. order.paid stops 催付).
   */
  registerConsumer({
    name: 'cadences',
    types: ['*'],
    async handle(tx, e, c) {
      const key = `cadences:stopOn:${e.orgId}`;
      let stopOn = c.memo.get(key) as Set<string> | undefined;
      if (!stopOn) {
        stopOn = new Set(await repo.stopOnTypes(tx, e.orgId));
        c.memo.set(key, stopOn);
      }
      if (!stopOn.has(e.type)) return;
      const ctx = {
        ...systemCtx(e.orgId, { name: `event ${e.type}`, requestId: `event-${e.id}` }),
        eventDepth: e.depth + 1,
      };
      const refs = [e.recordType && e.recordId ? { type: e.recordType, id: e.recordId } : null, e.related];
      for (const ref of refs)
        if (ref) await eventInTx(tx, ctx, { recordType: ref.type, recordId: ref.id, event: e.type });
    },
  });

  /** Fired by the timer when a step falls due. */
  registerTimerHandler(CADENCE_STEP_TIMER, async (tx, timer) => {
    const ctx = systemCtx(timer.org_id, { name: 'cadence', requestId: `timer-${timer.id}` });
    const run = timer.ref_id ? await repo.run(tx, timer.org_id, timer.ref_id, true) : undefined;
    if (run?.status !== 'running') return;
    const tpl = await repo.template(tx, timer.org_id, { id: run.template_id });
    if (tpl) await materialize(tx, ctx, run, tpl, Number(timer.payload.position));
  });

  /** A closed step task records its outcome and moves the run on (in the same transaction). */
  tasks.onClosed(async (tx, ctx, _before, task: TaskRow) => {
    if (task.source_type !== SOURCE || !task.source_id) return;
    const step = await repo.stepOfTask(tx, ctx.orgId, task.id);
    if (step?.status !== 'open') return;
    const done = await repo.setStep(tx, ctx.orgId, step.id, {
      status: task.status === 'done' ? 'done' : 'cancelled',
      task_id: task.id,
      outcome: task.outcome,
    });
    await recordAudit(tx, ctx, {
      action: 'cadence_step.complete',
      entityType: 'cadence_run_step',
      entityId: step.id,
      before: step,
      after: done,
    });
    const run = await repo.run(tx, ctx.orgId, task.source_id, true);
    if (run?.status !== 'running') return;
    const tpl = await repo.template(tx, ctx.orgId, { id: run.template_id });
    if (!tpl) return;
    const next = step.position + 1;
    const now = new Date();
    if (next < tpl.steps.length) {
      const after = await repo.setRun(tx, ctx.orgId, run.id, {
        status: 'running',
        current_step: next,
        stop_reason: null,
      });
      await recordAudit(tx, ctx, {
        action: 'cadence_run.advance',
        entityType: 'cadence_run',
        entityId: run.id,
        before: run,
        after,
      });
      await scheduleStep(tx, ctx, after, tpl, next, now, now);
    } else {
      const after = await repo.setRun(tx, ctx.orgId, run.id, {
        status: 'completed',
        current_step: step.position,
        stop_reason: null,
      });
      await recordAudit(tx, ctx, {
        action: 'cadence_run.complete',
        entityType: 'cadence_run',
        entityId: run.id,
        before: run,
        after,
      });
    }
  });

  return {
    /** Creates the built-in templates (催付) for the org if missing; the demo calls this. */
    ensureBuiltins,

    async listTemplates(ctx: Ctx, page: PageRequest) {
      if (!page.cursor) await ensureBuiltins(ctx);
      return repo.templates(db, ctx.orgId, page);
    },

    async createTemplate(ctx: Ctx, input: TemplateInput) {
      authorize(ctx, 'cadence.template.create');
      return db.transaction(async (tx) => {
        const row = await repo.insertTemplate(tx, {
          org_id: ctx.orgId,
          id: randomUUID(),
          key: input.key,
          name: input.name,
          description: input.description ?? '',
          record_type: input.recordType,
          steps: input.steps,
          stop_on: input.stopOn ?? [],
          builtin: false,
        });
        if (!row) throw new AppError('conflict');
        await recordAudit(tx, ctx, {
          action: 'cadence_template.create',
          entityType: 'cadence_template',
          entityId: row.id,
          after: row,
        });
        return row;
      });
    },

    async start(ctx: Ctx, input: StartInput, now = new Date()) {
      await ensureBuiltins(ctx);
      return db.transaction(async (tx) => {
        const tpl = input.templateId
          ? await repo.template(tx, ctx.orgId, { id: assertId(input.templateId) })
          : await repo.template(tx, ctx.orgId, { key: input.templateKey ?? '' });
        if (!tpl?.active)
          throw fieldError(input.templateId ? 'templateId' : 'templateKey', 'validation.invalid');
        if (tpl.record_type !== input.recordType) throw fieldError('recordType', 'validation.invalid');
        const assigneeId = input.assigneeId ?? ctx.actor.userId;
        if (!assigneeId) throw fieldError('assigneeId', 'validation.required');
        if (assigneeId !== ctx.actor.userId) {
          authorize(ctx, 'work.team');
          const u = (
            await deps.identity.usersByIds(ctx.orgId, [assertIdOr('assigneeId', assigneeId)], tx)
          )[0];
          // Like a task's assignee: an active user within the actor's scope (a supervisor's teams).
          if (u?.status !== 'active' || !inWorkScope(await workScope(ctx, deps.identity, tx), u.id))
            throw fieldError('assigneeId', 'validation.user_not_found');
        }
        // A record Kept knows (a customer) must exist in this org and be visible to the actor: 422 otherwise.
        // Records of types no module registers (a shop's order ids) are taken as given.
        if (deps.records?.has(input.recordType))
          await deps.records.linkable(
            tx,
            ctx,
            { type: input.recordType, id: input.recordId },
            { type: 'recordType', id: 'recordId' },
          );
        const run = await repo.insertRun(tx, {
          org_id: ctx.orgId,
          id: randomUUID(),
          template_id: tpl.id,
          record_type: input.recordType,
          record_id: assertIdOr('recordId', input.recordId),
          assignee_id: assigneeId,
          started_by: ctx.actor.userId,
        });
        await recordAudit(tx, ctx, {
          action: 'cadence_run.start',
          entityType: 'cadence_run',
          entityId: run.id,
          after: run,
          meta: { template: tpl.key },
        });
        await scheduleStep(tx, ctx, run, tpl, 0, now, now);
        return run;
      });
    },

    async listRuns(
      ctx: Ctx,
      f: { recordType?: string; recordId?: string; status?: string },
      page: PageRequest,
    ) {
      return repo.runs(
        db,
        ctx.orgId,
        {
          recordType: f.recordType,
          recordId: f.recordId ? assertId(f.recordId) : undefined,
          status: f.status,
          assigneeIds: await runScope(ctx),
        },
        page,
      );
    },

    async getRun(ctx: Ctx, id: string) {
      const run = await readableRun(ctx, id);
      return { run, steps: await repo.steps(db, ctx.orgId, run.id) };
    },

    async stop(ctx: Ctx, id: string, reason: string) {
      await readableRun(ctx, id);
      return db.transaction(async (tx) => {
        const run = await repo.run(tx, ctx.orgId, id, true);
        if (!run) throw notFound();
        if (run.status !== 'running') throw new AppError('conflict');
        return stopInTx(tx, ctx, run, reason);
      });
    },

    /** Other modules call this in their own transaction (e.g. when an order is paid). Returns the stopped runs. */
    eventInTx,

    /** An event reported through the API: stops only the runs the caller may work. */
    async event(ctx: Ctx, e: RecordEvent) {
      const recordId = assertIdOr('recordId', e.recordId);
      return db.transaction(async (tx) => {
        const stopped: RunRow[] = [];
        for (const run of await repo.runningOnRecord(tx, ctx.orgId, e.recordType, recordId)) {
          if (!(await mayWork(ctx, run, tx))) continue;
          const tpl = await repo.template(tx, ctx.orgId, { id: run.template_id });
          const locked = await repo.run(tx, ctx.orgId, run.id, true);
          if (tpl?.stop_on.includes(e.event) && locked?.status === 'running')
            stopped.push(await stopInTx(tx, ctx, locked, e.event));
        }
        return stopped;
      });
    },
  };
}

function assertIdOr(field: string, id: string): string {
  try {
    return assertId(id);
  } catch {
    throw fieldError(field, 'validation.invalid');
  }
}

export type CadencesService = ReturnType<typeof makeCadencesService>;
