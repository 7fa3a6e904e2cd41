import { type EventType, eventView } from '../../platform/events/events.ts';
import type { CustomerRow } from './customers.repo.ts';

/** The domain events the customers module emits (declared in index.ts). */
export const CUSTOMER_EVENTS: EventType[] = [
  {
    type: 'customer.created',
    recordType: 'customer',
    description: { 'zh-CN': '新建客户', en: 'A customer was created', es: 'Se creó un cliente' },
  },
  {
    type: 'customer.updated',
    recordType: 'customer',
    description: { 'zh-CN': '客户资料已修改', en: 'A customer was changed', es: 'Se modificó un cliente' },
  },
  {
    type: 'customer.assigned',
    recordType: 'customer',
    description: {
      'zh-CN': '客户已分配给新负责人',
      en: 'A customer got a new owner',
      es: 'Un cliente tiene nuevo responsable',
    },
  },
  {
    type: 'customer.merged',
    recordType: 'customer',
    description: { 'zh-CN': '客户已合并', en: 'Two customers were merged', es: 'Se fusionaron dos clientes' },
  },
  {
    type: 'customer.deleted',
    recordType: 'customer',
    description: { 'zh-CN': '客户已删除', en: 'A customer was deleted', es: 'Se eliminó un cliente' },
  },
  {
    type: 'contact.created',
    recordType: 'customer',
    description: { 'zh-CN': '新增联系人', en: 'A contact was added', es: 'Se añadió un contacto' },
  },
  {
    type: 'contact.updated',
    recordType: 'customer',
    description: { 'zh-CN': '联系人已修改', en: 'A contact was changed', es: 'Se modificó un contacto' },
  },
  {
    type: 'contact.deleted',
    recordType: 'customer',
    description: { 'zh-CN': '联系人已删除', en: 'A contact was removed', es: 'Se eliminó un contacto' },
  },
  {
    type: 'activity.created',
    recordType: 'customer',
    description: {
      'zh-CN': '记录了一次互动（电话、拜访、备注…）',
      en: 'An interaction was logged (call, visit, note…)',
      es: 'Se registró una interacción (llamada, visita, nota…)',
    },
  },
];

/** A customer as event data (webhook bodies, process conditions): the stored record in camelCase. */
export function customerEventData(row: CustomerRow): Record<string, unknown> {
  return { customer: eventView(row) };
}

/** Field names (camelCase) that changed between two rows. */
export function changedFields(before: object, after: object): string[] {
  const b = eventView(before, ['updated_at', 'version']);
  const a = eventView(after, ['updated_at', 'version']);
  return Object.keys(a).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}
