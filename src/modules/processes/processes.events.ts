import type { EventType } from '../../platform/events/events.ts';

/** The domain events the processes module emits (about the record the process runs on). */
export const PROCESS_EVENTS: EventType[] = [
  {
    type: 'process.started',
    description: { 'zh-CN': '流程已启动', en: 'A process started', es: 'Se inició un proceso' },
  },
  {
    type: 'process.transitioned',
    description: {
      'zh-CN': '流程已流转到新状态',
      en: 'A process moved to a new state',
      es: 'Un proceso pasó a un nuevo estado',
    },
  },
  {
    type: 'process.completed',
    description: { 'zh-CN': '流程已完成', en: 'A process completed', es: 'Un proceso terminó' },
  },
  {
    type: 'process.cancelled',
    description: { 'zh-CN': '流程已取消', en: 'A process was cancelled', es: 'Se canceló un proceso' },
  },
  {
    type: 'sla.warning',
    description: {
      'zh-CN': '时限即将到期',
      en: 'An SLA is about to be breached',
      es: 'Un SLA está a punto de vencer',
    },
  },
  {
    type: 'sla.breached',
    description: { 'zh-CN': '已超出时限', en: 'An SLA was breached', es: 'Se incumplió un SLA' },
  },
  {
    type: 'approval.requested',
    description: { 'zh-CN': '发起审批', en: 'An approval was requested', es: 'Se solicitó una aprobación' },
  },
  {
    type: 'approval.decided',
    description: {
      'zh-CN': '审批已决定（通过或驳回）',
      en: 'An approval was decided (approved or rejected)',
      es: 'Se decidió una aprobación (aprobada o rechazada)',
    },
  },
];
