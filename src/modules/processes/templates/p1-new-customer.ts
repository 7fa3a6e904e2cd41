import type { ProcessDefinitionInput } from '../definition.schema.ts';

/**
 * P1: the owner of a newly assigned customer contacts them within one week (客户资料管理). It starts on the
 * customer.assigned event (a new owner other than whoever assigned it, not an escalation), restarting for each
 * new owner; logging a contact (call, visit, meeting, message, email) or completing its contact task moves it to
 * contacted, which stops the clock. All of it is data: admins change it in the process editor.
 */
export const p1NewCustomerContact: ProcessDefinitionInput = {
  key: 'p1_new_customer_contact',
  name: {
    'zh-CN': '新分配客户 7 天内联系',
    en: 'Contact a newly assigned customer within 7 days',
    es: 'Contactar al cliente asignado en 7 días',
  },
  recordType: 'customer',
  perRecord: 'single',
  triggers: [
    {
      on: 'customer.assigned',
      restart: true,
      when: {
        and: [
          { '!!': [{ var: 'event.data.customer.ownerId' }] },
          { '!=': [{ var: 'event.data.customer.ownerId' }, { var: 'event.actorId' }] },
          { '!=': [{ var: 'event.data.reason' }, 'escalation'] },
        ],
      },
    },
  ],
  initial: 'assigned',
  states: [
    { key: 'assigned', name: { 'zh-CN': '已分配', en: 'Assigned', es: 'Asignado' } },
    { key: 'contacted', name: { 'zh-CN': '已联系', en: 'Contacted', es: 'Contactado' }, final: true },
  ],
  transitions: [
    {
      key: 'record_contact',
      name: { 'zh-CN': '记录首次联系', en: 'Record first contact', es: 'Registrar primer contacto' },
      from: ['assigned'],
      to: 'contacted',
    },
  ],
  slas: [
    {
      key: 'first_contact',
      name: { 'zh-CN': '首次联系时限', en: 'First contact', es: 'Primer contacto' },
      start: { event: 'start' },
      stop: { enter: ['contacted'] },
      target: { days: 7 },
      warnAtPercent: 70,
      onWarn: [
        {
          type: 'notify',
          to: 'owner',
          title: {
            'zh-CN': '请尽快联系客户 {{record.name}}',
            en: 'Contact {{record.name}} soon',
            es: 'Contacte pronto a {{record.name}}',
          },
        },
      ],
      onBreach: [{ type: 'escalate', reassignTo: 'supervisor', raisePriority: true, notify: 'supervisor' }],
    },
  ],
  automations: [
    {
      key: 'contact_task',
      on: { event: 'start' },
      actions: [
        {
          type: 'create_task',
          title: {
            'zh-CN': '联系新分配的客户：{{record.name}}',
            en: 'Contact newly assigned customer: {{record.name}}',
            es: 'Contactar al cliente asignado: {{record.name}}',
          },
          assignee: 'owner',
          due: { days: 7 },
          important: true,
          kind: 'contact_new_customer',
        },
      ],
    },
    {
      key: 'contact_logged',
      on: {
        event: 'activity.created',
        when: { in: [{ var: 'event.data.activity.kind' }, ['call', 'visit', 'meeting', 'message', 'email']] },
      },
      actions: [{ type: 'transition', transition: 'record_contact' }],
    },
    {
      key: 'contact_task_done',
      on: {
        event: 'task.completed',
        when: { '==': [{ var: 'event.data.task.sourceId' }, { var: 'process.id' }] },
      },
      actions: [{ type: 'transition', transition: 'record_contact' }],
    },
  ],
};
