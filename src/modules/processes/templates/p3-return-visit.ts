import type { ProcessDefinitionInput } from '../definition.schema.ts';

/**
 * P3 return visit (回访): due → attempt → reached / unreached; an unreached customer is retried in another time
 * slot of a later working day, never in their quiet hours; a reached one is recorded and done. Every visit is
 * due within 3 working days.
 */
export const p3ReturnVisit: ProcessDefinitionInput = {
  key: 'p3_return_visit',
  name: { 'zh-CN': '客户回访', en: 'Return visit', es: 'Visita de seguimiento' },
  recordType: 'customer',
  perRecord: 'single',
  initial: 'due',
  fields: [
    {
      key: 'satisfaction',
      type: 'text',
      label: { 'zh-CN': '满意度', en: 'Satisfaction', es: 'Satisfacción' },
    },
    { key: 'notes', type: 'text' },
  ],
  states: [
    { key: 'due', name: { 'zh-CN': '待回访', en: 'Due', es: 'Pendiente' } },
    { key: 'attempting', name: { 'zh-CN': '联系中', en: 'Attempting', es: 'Intentando' } },
    { key: 'unreached', name: { 'zh-CN': '未联系上', en: 'Unreached', es: 'No localizado' } },
    { key: 'reached', name: { 'zh-CN': '已联系上', en: 'Reached', es: 'Localizado' } },
    { key: 'done', name: { 'zh-CN': '已完成', en: 'Done', es: 'Hecho' }, final: true },
  ],
  transitions: [
    {
      key: 'attempt',
      name: { 'zh-CN': '开始回访', en: 'Call now', es: 'Llamar' },
      from: ['due'],
      to: 'attempting',
    },
    {
      key: 'reached',
      name: { 'zh-CN': '已接通', en: 'Reached', es: 'Localizado' },
      from: ['attempting'],
      to: 'reached',
    },
    {
      key: 'unreached',
      name: { 'zh-CN': '未接通', en: 'Not reached', es: 'No localizado' },
      from: ['attempting'],
      to: 'unreached',
    },
    {
      key: 'retry',
      name: { 'zh-CN': '改时段重试', en: 'Retry in another slot', es: 'Reintentar en otra franja' },
      from: ['unreached'],
      to: 'due',
    },
    {
      key: 'record_result',
      name: { 'zh-CN': '记录回访结果', en: 'Record the result', es: 'Registrar el resultado' },
      from: ['reached'],
      to: 'done',
      requiredFields: ['satisfaction'],
    },
  ],
  slas: [
    {
      key: 'visit_within_3_days',
      name: {
        'zh-CN': '三天内完成回访',
        en: 'Visited within 3 working days',
        es: 'Visitado en 3 días hábiles',
      },
      start: { event: 'start' },
      stop: { enter: ['done'] },
      target: { workingDays: 3 },
      warnAtPercent: 80,
      onWarn: [
        {
          type: 'notify',
          to: 'owner',
          title: {
            'zh-CN': '回访即将超时：{{record.name}}',
            en: 'Return visit almost late: {{record.name}}',
            es: 'Visita casi vencida: {{record.name}}',
          },
        },
      ],
      onBreach: [{ type: 'escalate', raisePriority: true, notify: 'supervisor' }],
    },
  ],
  automations: [
    {
      key: 'first_call',
      on: { event: 'start' },
      actions: [
        {
          type: 'schedule_followup',
          title: {
            'zh-CN': '回访客户：{{record.name}}',
            en: 'Return visit: {{record.name}}',
            es: 'Visita de seguimiento: {{record.name}}',
          },
          assignee: 'owner',
          after: { minutes: 1 },
          channel: 'call',
          slot: 'next',
          kind: 'return_visit',
        },
      ],
    },
    {
      key: 'retry_other_slot',
      on: { enter: ['unreached'] },
      actions: [
        {
          type: 'schedule_followup',
          title: {
            'zh-CN': '再次回访（换时段）：{{record.name}}',
            en: 'Retry return visit (another slot): {{record.name}}',
            es: 'Reintentar visita (otra franja): {{record.name}}',
          },
          assignee: 'owner',
          after: { minutes: 1 },
          channel: 'call',
          slot: 'different_later_day',
          previousAttemptState: 'attempting',
          kind: 'return_visit',
        },
        { type: 'transition', transition: 'retry' },
      ],
    },
  ],
};
