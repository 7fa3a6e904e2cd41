import { recordAudit } from '../../platform/audit/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/db.ts';
import { LOCALES } from '../../platform/i18n/i18n.ts';
import type { RecordRegistry } from '../../platform/records/registry.ts';
import type { IdentityService } from '../identity/index.ts';
import type { TasksService } from '../tasks/index.ts';
import type { Action, Assignee } from './definition.schema.ts';
import type { LocalizedText, Notifier, RecordInfo, WorkingClock } from './ports.ts';
import { type InstanceRow, processesRepo as repo } from './processes.repo.ts';
import { render, textOf } from './text.ts';

export interface ActionDeps {
  clock: WorkingClock;
  records: RecordRegistry;
  tasks: TasksService;
  identity: IdentityService;
  notifier?: Notifier;
}

export interface ActionEnv {
  tx: Tx;
  ctx: Ctx;
  inst: InstanceRow;
  record: RecordInfo | null;
  now: Date;
  /** Identifies the rule firing (automation or SLA), for idempotent task creation. */
  source: string;
  /** Engine callbacks for actions that move the process. */
  startChild: (processKey: string) => Promise<void>;
  takeTransition: (transitionKey: string) => Promise<void>;
  /** Set when an action changed the record itself (an escalation handing it over). */
  recordChanged?: boolean;
}

const PRIORITY_UP: Record<string, InstanceRow['priority']> = {
  low: 'normal',
  normal: 'high',
  high: 'urgent',
  urgent: 'urgent',
};

/** Runs a definition's actions: tasks, follow-ups, child processes, messages, notifications, escalations. */
export function makeActions(deps: ActionDeps) {
  async function resolve(env: ActionEnv, who: Assignee): Promise<string[]> {
    const { tx, ctx, inst, record } = env;
    if (who === 'actor') return ctx.actor.userId ? [ctx.actor.userId] : [];
    if (who === 'owner') {
      const owner = inst.assignee_id ?? record?.ownerId;
      return owner ? [owner] : [];
    }
    if (who === 'supervisor') {
      const ownerId = inst.assignee_id ?? record?.ownerId;
      const sup = ownerId ? await deps.identity.supervisorOf(tx, ctx.orgId, ownerId) : null;
      if (sup) return [sup];
      const teams = await deps.identity.teamsOf(tx, ctx.orgId, record?.teamId ? [record.teamId] : []);
      // Nobody above the owner: the record team's supervisor, else any supervisor (possibly the owner themself).
      const teamSup = teams.map((t) => t.supervisor_id).find((id): id is string => !!id);
      if (teamSup) return [teamSup];
      const users = await deps.identity.directory(ctx, tx);
      return users
        .filter((u) => u.role_key === 'supervisor')
        .slice(0, 1)
        .map((u) => u.id);
    }
    const users = await deps.identity.directory(ctx, tx);
    if ('user' in who) return users.some((u) => u.id === who.user) ? [who.user] : [];
    const withRole = users.filter((u) => u.role_key === who.role);
    const sameTeam = withRole.filter((u) => record?.teamId && u.team_ids.includes(record.teamId));
    return (sameTeam.length ? sameTeam : withRole).slice(0, 1).map((u) => u.id);
  }

  const vars = (env: ActionEnv) => ({
    record: { name: env.record?.title ?? '', title: env.record?.title ?? '', ...(env.record?.facts ?? {}) },
    data: env.inst.data,
    process: { state: env.inst.state },
  });

  async function run(env: ActionEnv, action: Action, index: number): Promise<void> {
    const { tx, ctx, inst, now } = env;
    const text = (t: Parameters<typeof textOf>[0]) => render(textOf(t, ctx.locale), vars(env));
    /** The same text in every language, for recipients who read their own. */
    const texts = (t: Parameters<typeof textOf>[0]): LocalizedText =>
      t === undefined ? '' : Object.fromEntries(LOCALES.map((l) => [l, render(textOf(t, l), vars(env))]));
    switch (action.type) {
      case 'create_task':
      case 'schedule_followup': {
        const [assignee] = await resolve(env, action.assignee);
        if (!assignee) return;
        let due: Date | undefined;
        if (action.type === 'create_task')
          due = action.due ? await deps.clock.add(tx, ctx.orgId, now, action.due) : undefined;
        else {
          const after = await deps.clock.add(tx, ctx.orgId, now, action.after);
          // Quiet hours and contact slots of the customer the record belongs to (any record type).
          const customerId = env.record?.customerId ?? null;
          const last = action.previousAttemptState
            ? ((await repo.lastEntered(tx, inst.org_id, inst.id, action.previousAttemptState)) ?? now)
            : now;
          due = await deps.clock.nextContactSlot(
            tx,
            ctx.orgId,
            customerId,
            after,
            action.slot === 'different_later_day' ? { differentSlotFrom: last, laterWorkingDay: true } : {},
          );
        }
        await deps.tasks.createInTx(tx, ctx, {
          kind:
            action.kind ?? (action.type === 'create_task' ? 'process_task' : `followup_${action.channel}`),
          title: text(action.title),
          description: action.type === 'create_task' ? text(action.description) : '',
          assigneeId: assignee,
          dueAt: due ?? new Date(now.getTime() + 86_400_000),
          priority: action.type === 'create_task' ? action.priority : undefined,
          urgent: action.type === 'create_task' ? action.urgent : undefined,
          important: action.type === 'create_task' ? action.important : true,
          relatedType: inst.record_type,
          relatedId: inst.record_id,
          sourceType: 'process_instance',
          sourceId: inst.id,
        });
        return;
      }
      case 'open_child':
        return env.startChild(action.process);
      case 'transition':
        return env.takeTransition(action.transition);
      case 'notify':
      case 'send_message': {
        const userIds = await resolve(env, action.to);
        if (!userIds.length || !deps.notifier) return;
        const title = action.type === 'notify' ? texts(action.title) : texts(action.template);
        const body = action.type === 'notify' ? texts(action.body) : '';
        await deps.notifier.notify(tx, ctx, {
          userIds,
          kind: `process.${action.type}`,
          title,
          body,
          record: { type: inst.record_type, id: inst.record_id },
          data: { instanceId: inst.id, source: env.source },
        });
        return;
      }
      case 'escalate': {
        // Everyone is resolved against the situation before the escalation (the supervisor of the current owner).
        const to = action.reassignTo ? await resolve(env, action.reassignTo) : [];
        const notifyIds = action.notify ? await resolve(env, action.notify) : to;
        const before = { ...inst };
        if (to[0] && to[0] !== inst.assignee_id) inst.assignee_id = to[0];
        if (action.raisePriority) inst.priority = PRIORITY_UP[inst.priority];
        // The instance is current (locked, kept up to date in memory): its new image is written at commit.
        const after = repo.bufferAssigneeAndPriority(tx, before, inst.assignee_id, inst.priority);
        Object.assign(inst, after);
        await recordAudit(tx, ctx, {
          action: 'process.escalate',
          entityType: 'process_instance',
          entityId: inst.id,
          before,
          after,
          meta: { source: env.source, step: index },
        });
        const type = deps.records.get(inst.record_type);
        if (to[0] && env.record && type?.reassign) {
          await type.reassign(tx, ctx, inst.record_id, to[0]);
          env.recordChanged = true;
        }
        if (notifyIds.length && deps.notifier) {
          await deps.notifier.notify(tx, ctx, {
            userIds: notifyIds,
            kind: 'process.escalated',
            title: {
              'zh-CN': `已升级：${env.record?.title ?? ''}`,
              en: `Escalated: ${env.record?.title ?? ''}`,
              es: `Escalado: ${env.record?.title ?? ''}`,
            },
            body: env.source,
            record: { type: inst.record_type, id: inst.record_id },
            data: { instanceId: inst.id, source: env.source },
          });
        }
        return;
      }
    }
  }

  return {
    resolve,
    async runAll(env: ActionEnv, actions: Action[]) {
      for (const [i, a] of actions.entries()) await run(env, a, i);
    },
  };
}

export type Actions = ReturnType<typeof makeActions>;
