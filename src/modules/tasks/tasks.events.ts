import type { EventType } from '../../platform/events/events.ts';

/** The domain events the tasks module emits: about the task or promise, heard on its related record too. */
export const TASK_EVENTS: EventType[] = [
  {
    type: 'task.created',
    recordType: 'task',
    description: { 'zh-CN': '新建任务', en: 'A task was created', es: 'Se creó una tarea' },
  },
  {
    type: 'task.updated',
    recordType: 'task',
    description: { 'zh-CN': '任务已修改', en: 'A task was changed', es: 'Se modificó una tarea' },
  },
  {
    type: 'task.completed',
    recordType: 'task',
    description: { 'zh-CN': '任务已完成', en: 'A task was completed', es: 'Se completó una tarea' },
  },
  {
    type: 'task.reassigned',
    recordType: 'task',
    description: { 'zh-CN': '任务已转派', en: 'A task was reassigned', es: 'Se reasignó una tarea' },
  },
  {
    type: 'task.cancelled',
    recordType: 'task',
    description: { 'zh-CN': '任务已取消', en: 'A task was cancelled', es: 'Se canceló una tarea' },
  },
  {
    type: 'promise.created',
    recordType: 'promise',
    description: {
      'zh-CN': '记录了对客户的承诺',
      en: 'A promise to a customer was recorded',
      es: 'Se registró una promesa al cliente',
    },
  },
  {
    type: 'promise.updated',
    recordType: 'promise',
    description: { 'zh-CN': '承诺已修改', en: 'A promise was changed', es: 'Se modificó una promesa' },
  },
  {
    type: 'promise.rescheduled',
    recordType: 'promise',
    description: {
      'zh-CN': '承诺时间已调整',
      en: 'A promise was rescheduled',
      es: 'Se reprogramó una promesa',
    },
  },
  {
    type: 'promise.kept',
    recordType: 'promise',
    description: { 'zh-CN': '承诺已兑现', en: 'A promise was kept', es: 'Se cumplió una promesa' },
  },
  {
    type: 'promise.broken',
    recordType: 'promise',
    description: {
      'zh-CN': '承诺到期未兑现',
      en: 'A promise was broken (due and not kept)',
      es: 'Se incumplió una promesa (vencida)',
    },
  },
  {
    type: 'promise.cancelled',
    recordType: 'promise',
    description: { 'zh-CN': '承诺已取消', en: 'A promise was cancelled', es: 'Se canceló una promesa' },
  },
];
