import type { ProcessDefinitionInput } from '../definition.schema.ts';

/** P1: the owner of a newly assigned customer contacts them within one week (客户资料管理). */
export const p1NewCustomerContact: ProcessDefinitionInput = {
  key: 'p1_new_customer_contact',
  name: { 'zh-CN': '新分配客户 7 天内联系', en: 'Contact a newly assigned customer within 7 days', es: 'Contactar al cliente asignado en 7 días' },
  recordType: 'customer',
  perRecord: 'single',
  initial: 'assigned',
  states: [
    { key: 'assigned', name: { 'zh-CN': '已分配', en: 'Assigned', es: 'Asignado' } },
    { key: 'contacted', name: { 'zh-CN': '已联系', en: 'Contacted', es: 'Contactado' }, final: true },
  ],
  transitions: [
    { key: 'record_contact', name: { 'zh-CN': '记录首次联系', en: 'Record first contact', es: 'Registrar primer contacto' }, from: ['assigned'], to: 'contacted' },
  ],
  slas: [
    {
      key: 'first_contact',
      name: { 'zh-CN': '首次联系时限', en: 'First contact', es: 'Primer contacto' },
      start: { event: 'start' },
      stop: { enter: ['contacted'] },
      target: { days: 7 },
      warnAtPercent: 70,
      onWarn: [{ type: 'notify', to: 'owner', title: { 'zh-CN': '请尽快联系客户 {{record.name}}', en: 'Contact {{record.name}} soon', es: 'Contacte pronto a {{record.name}}' } }],
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
          title: { 'zh-CN': '联系新分配的客户：{{record.name}}', en: 'Contact newly assigned customer: {{record.name}}', es: 'Contactar al cliente asignado: {{record.name}}' },
          assignee: 'owner',
          due: { days: 7 },
          important: true,
          kind: 'contact_new_customer',
        },
      ],
    },
  ],
};
