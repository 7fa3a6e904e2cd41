import { Card, Descriptions, type DescriptionsProps, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Customer, CustomField } from '../../../api/types';
import { currentLocale, pickLabel } from '../../../i18n';
import { useFormatters } from '../../../ui/format';
import { useCan } from '../../auth/session';
import { useCustomFields } from '../api';
import { RevealButton, type Revealed } from './RevealButton';

function customValue(def: CustomField | undefined, v: unknown, fmtDate: (s: string) => string): string {
  if (v === null || v === undefined || v === '') return '—';
  const locale = currentLocale();
  const optionLabel = (x: unknown) => {
    const o = def?.options?.find((opt) => opt.value === x);
    return o ? pickLabel(o.label, locale, String(x)) : String(x);
  };
  if (Array.isArray(v)) return v.map(optionLabel).join('、');
  if (def?.type === 'select') return optionLabel(v);
  if (def?.type === 'date' && typeof v === 'string') return fmtDate(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function CustomerProfile({ customer: c }: { customer: Customer }) {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const can = useCan();
  const fields = useCustomFields();
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const none = t('common.none');
  const text = (v: string | number | null | undefined) =>
    v === null || v === undefined || v === '' ? none : String(v);

  // A revealed field replaces its masked value; the others stay as the server showed them.
  const shown = <K extends keyof Revealed>(f: K, v: string | null) =>
    revealed && f in revealed ? (revealed[f] ?? null) : v;
  const mobile = shown('mobile', c.mobile);
  const phone = shown('phone', c.phone);
  const email = shown('email', c.email);
  const birthday = shown('birthday', c.birthday);
  const canReveal = c.maskedFields.length > 0 && !revealed && can('customer.pii.reveal');

  const items: DescriptionsProps['items'] = [
    { key: 'kind', label: t('customer.fields.kind'), children: t(`customer.kind.${c.kind}`) },
    { key: 'name', label: t('customer.fields.name'), children: c.name },
    {
      key: 'mobile',
      label: t('customer.fields.mobile'),
      children: (
        <Space size={8}>
          <span data-testid="customer-mobile-value" style={{ whiteSpace: 'nowrap' }}>
            {text(mobile)}
          </span>
          {canReveal && <RevealButton customerId={c.id} fields={c.maskedFields} onRevealed={setRevealed} />}
          {revealed && <Tag color="red">{t('customer.detail.revealed')}</Tag>}
        </Space>
      ),
    },
    { key: 'phone', label: t('customer.fields.phone'), children: text(phone) },
    { key: 'email', label: t('customer.fields.email'), children: text(email) },
    {
      key: 'address',
      label: t('customer.fields.address'),
      children: text(shown('address', c.address)),
      span: 2,
    },
    { key: 'idNumber', label: t('maskedFields.idNumber'), children: text(shown('idNumber', c.idNumber)) },
    { key: 'personInCharge', label: t('customer.fields.personInCharge'), children: text(c.personInCharge) },
    { key: 'contactPerson', label: t('customer.fields.contactPerson'), children: text(c.contactPerson) },
    { key: 'position', label: t('customer.fields.position'), children: text(c.position) },
    {
      key: 'gender',
      label: t('customer.fields.gender'),
      children: c.gender ? t(`customer.gender.${c.gender}`) : none,
    },
    {
      key: 'birthday',
      label: t('customer.fields.birthday'),
      // A masked birthday (****-05-03) is shown as it comes: it is not a date to format.
      children: birthday ? (birthday.startsWith('*') ? birthday : fmt.date(birthday)) : none,
    },
    { key: 'age', label: t('customer.fields.age'), children: text(c.age) },
    {
      key: 'bestContactTime',
      label: t('customer.fields.bestContactTime'),
      children: text(c.bestContactTime),
    },
    { key: 'hobbies', label: t('customer.fields.hobbies'), children: text(c.hobbies) },
    { key: 'familyNotes', label: t('customer.fields.familyNotes'), children: text(c.familyNotes), span: 2 },
    {
      key: 'notes',
      label: t('customer.fields.notes'),
      // Several lines as typed (a pasted 买家留言 keeps its line breaks).
      children: c.notes ? <span style={{ whiteSpace: 'pre-wrap' }}>{c.notes}</span> : none,
      span: 2,
    },
    { key: 'sourceChannel', label: t('customer.fields.sourceChannel'), children: text(c.sourceChannel) },
    { key: 'memberLevel', label: t('customer.fields.memberLevel'), children: text(c.memberLevel) },
    { key: 'owner', label: t('customer.fields.owner'), children: c.owner?.name ?? none },
    { key: 'externalRef', label: t('customer.fields.externalRef'), children: text(c.externalRef) },
    {
      key: 'tags',
      label: t('customer.fields.tags'),
      span: 2,
      children: c.tags.length ? (
        <Space size={[0, 4]} wrap>
          {c.tags.map((tag) => (
            <Tag key={tag}>{tag}</Tag>
          ))}
        </Space>
      ) : (
        none
      ),
    },
    { key: 'createdAt', label: t('customer.fields.createdAt'), children: fmt.dateTime(c.createdAt) },
    { key: 'updatedAt', label: t('customer.fields.updatedAt'), children: fmt.dateTime(c.updatedAt) },
  ];

  const defs = fields.data ?? [];
  const customKeys = new Set([...defs.map((d) => d.key), ...Object.keys(c.custom ?? {})]);
  for (const key of customKeys) {
    const def = defs.find((d) => d.key === key);
    items.push({
      key: `custom.${key}`,
      label: def ? pickLabel(def.label, currentLocale(), key) : key,
      children: customValue(def, c.custom?.[key], fmt.date),
    });
  }

  return (
    <Card title={t('customer.detail.profile')}>
      <Descriptions
        bordered
        size="small"
        column={{ xs: 1, sm: 1, md: 2 }}
        items={items}
        styles={{ label: { whiteSpace: 'nowrap' }, content: { minWidth: 120 } }}
      />
    </Card>
  );
}
