import { SwapOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Radio, Table, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../api/types';
import { errorText } from '../../ui/errors';
import type { MergeField } from './api';

/** The fields a merge lets the user choose between, in the order the form shows them. */
export const MERGE_FIELDS: MergeField[] = [
  'name',
  'mobile',
  'email',
  'phone',
  'address',
  'personInCharge',
  'contactPerson',
  'position',
  'gender',
  'birthday',
  'age',
  'bestContactTime',
  'hobbies',
  'familyNotes',
  'notes',
  'sourceChannel',
  'memberLevel',
  'externalRef',
];

export type MergeValues = Partial<Record<MergeField, unknown>>;

interface Props {
  open: boolean;
  /** The record that survives (its id stays). */
  survivor: Customer | null;
  /** The other side: a stored customer, or the values just typed into the form. */
  other: { label: string; values: MergeValues } | null;
  loading: boolean;
  error?: unknown;
  /** Swaps which side survives (only when both are stored customers). */
  onSwap?: () => void;
  onMerge: (take: MergeField[]) => void;
  onCancel: () => void;
}

const empty = (v: unknown) => v === null || v === undefined || v === '';

/** Side by side: for each field that differs, which value the survivor keeps. */
export function MergeModal({ open, survivor, other, loading, error, onSwap, onMerge, onCancel }: Props) {
  const { t } = useTranslation();
  const [choice, setChoice] = useState<Partial<Record<MergeField, 'survivor' | 'other'>>>({});
  const rows = useMemo(() => {
    if (!survivor || !other) return [];
    return MERGE_FIELDS.flatMap((field) => {
      const a = (survivor as unknown as Record<string, unknown>)[field];
      const b = other.values[field];
      if (empty(a) && empty(b)) return [];
      return [{ field, a, b, same: String(a ?? '') === String(b ?? '') }];
    });
  }, [survivor, other]);

  useEffect(() => {
    // The survivor's value unless it has none.
    const next: Partial<Record<MergeField, 'survivor' | 'other'>> = {};
    for (const r of rows) next[r.field] = empty(r.a) ? 'other' : 'survivor';
    setChoice(next);
  }, [rows]);

  const show = (field: MergeField, v: unknown) => {
    if (empty(v)) return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
    if (field === 'gender') return t(`customer.gender.${v as 'male' | 'female' | 'other'}`);
    return String(v);
  };

  const take = rows.filter((r) => !r.same && choice[r.field] === 'other').map((r) => r.field);
  return (
    <Modal
      open={open}
      title={t('dayOne.merge.title')}
      width={820}
      okText={t('dayOne.merge.confirm')}
      cancelText={t('common.cancel')}
      confirmLoading={loading}
      onOk={() => onMerge(take)}
      onCancel={onCancel}
      okButtonProps={{ 'data-testid': 'merge-confirm' } as Record<string, string>}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('dayOne.merge.intro')}</Typography.Paragraph>
      {error ? (
        <Alert type="error" showIcon title={errorText(error, t)} style={{ marginBottom: 12 }} />
      ) : null}
      {onSwap && (
        <Button icon={<SwapOutlined />} size="small" onClick={onSwap} style={{ marginBottom: 12 }}>
          {t('dayOne.merge.swap')}
        </Button>
      )}
      <Table
        rowKey="field"
        size="small"
        pagination={false}
        data-testid="merge-table"
        dataSource={rows}
        columns={[
          {
            title: t('dayOne.merge.field'),
            dataIndex: 'field',
            width: 140,
            render: (f: MergeField) => t(`customer.fields.${f}`),
          },
          {
            title: `${t('dayOne.merge.survivor')} · ${survivor?.name ?? ''}`,
            render: (_, r) => (
              <Radio
                checked={choice[r.field] !== 'other'}
                disabled={r.same}
                onChange={() => setChoice((c) => ({ ...c, [r.field]: 'survivor' }))}
                data-testid={`merge-keep-${r.field}`}
              >
                {show(r.field, r.a)}
              </Radio>
            ),
          },
          {
            title: other?.label ?? '',
            render: (_, r) => (
              <Radio
                checked={choice[r.field] === 'other'}
                disabled={r.same}
                onChange={() => setChoice((c) => ({ ...c, [r.field]: 'other' }))}
                data-testid={`merge-take-${r.field}`}
              >
                {show(r.field, r.b)}
              </Radio>
            ),
          },
        ]}
      />
    </Modal>
  );
}
