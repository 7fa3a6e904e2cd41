import { systemCtx } from '../../platform/context.ts';
import type { Consumer } from '../../platform/events/dispatcher.ts';
import type { DomainEvent } from '../../platform/events/events.ts';
import type { NotifyInput } from './notifications.service.ts';

type Notify = (
  tx: Parameters<Consumer['handle']>[0],
  ctx: ReturnType<typeof systemCtx>,
  n: NotifyInput,
) => Promise<unknown>;

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/**
 * Notifications that follow from domain events: the person something was handed to hears about it — the new
 * owner of a customer, the assignee of a task someone else created or passed on. Work that processes and
 * cadences create shows in My day instead, and a bulk import assigns silently.
 */
export function notificationsConsumer(notify: Notify): Consumer {
  return {
    name: 'notifications',
    types: ['customer.assigned', 'task.created', 'task.reassigned'],
    async handle(tx, e: DomainEvent) {
      const ctx = {
        ...systemCtx(e.orgId, { name: `event ${e.type}`, requestId: `event-${e.id}` }),
        eventDepth: e.depth + 1,
      };
      if (e.type === 'customer.assigned') {
        const c = (e.data.customer ?? {}) as Record<string, unknown>;
        const owner = str(c.ownerId);
        if (!owner || owner === e.actorId || e.data.source === 'import' || !e.recordId) return;
        const name = str(c.name);
        const escalated = e.data.reason === 'escalation';
        await notify(tx, ctx, {
          userIds: [owner],
          kind: 'customer.assigned',
          title: escalated
            ? {
                'zh-CN': `客户已升级给你：${name}`,
                en: `Customer escalated to you: ${name}`,
                es: `Cliente escalado a usted: ${name}`,
              }
            : {
                'zh-CN': `新分配给你的客户：${name}`,
                en: `Customer assigned to you: ${name}`,
                es: `Cliente asignado a usted: ${name}`,
              },
          body: '',
          record: { type: 'customer', id: e.recordId },
        });
        return;
      }
      const t = (e.data.task ?? {}) as Record<string, unknown>;
      const assignee = str(t.assigneeId);
      if (!assignee || assignee === e.actorId || e.actorType !== 'user') return;
      const title = str(t.title);
      await notify(tx, ctx, {
        userIds: [assignee],
        kind: e.type === 'task.created' ? 'task.assigned' : 'task.reassigned',
        title: { 'zh-CN': `新任务：${title}`, en: `New task for you: ${title}`, es: `Nueva tarea: ${title}` },
        body: '',
        ...(e.related ? { record: e.related } : { link: '/tasks' }),
        data: { taskId: str(t.id) },
      });
    },
  };
}
