import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomField } from '../../api/types';
import { currentLocale, pickLabel } from '../../i18n';
import { errorText } from '../../ui/errors';
import { useCustomFields } from '../customers/api';
import { CustomFieldFormModal } from './CustomFieldFormModal';

export default function CustomFieldsPage() {
  const { t } = useTranslation();
  const fields = useCustomFields('customer');
  const [editing, setEditing] = useState<CustomField | 'new' | null>(null);
  const locale = currentLocale();

  return (
    <Card
      title={t('admin.fields.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
          {t('admin.fields.new')}
        </Button>
      }
    >
      {fields.isError && (
        <Alert type="error" showIcon title={errorText(fields.error, t)} style={{ marginBottom: 16 }} />
      )}
      <Table<CustomField>
        rowKey="id"
        loading={fields.isLoading}
        dataSource={fields.data ?? []}
        pagination={false}
        columns={[
          { title: t('admin.fields.position'), dataIndex: 'position', width: 80 },
          {
            title: t('admin.fields.key'),
            dataIndex: 'key',
            render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
          },
          { title: t('admin.fields.label'), render: (_, f) => pickLabel(f.label, locale, f.key) },
          {
            title: t('admin.fields.type'),
            dataIndex: 'type',
            render: (v: CustomField['type']) => t(`admin.fields.types.${v}`),
          },
          {
            title: t('admin.fields.options'),
            render: (_, f) =>
              (f.options ?? []).map((o) => <Tag key={o.value}>{pickLabel(o.label, locale, o.value)}</Tag>),
          },
          {
            title: t('admin.fields.required'),
            dataIndex: 'required',
            render: (v: boolean) => (v ? <Tag color="red">{t('common.yes')}</Tag> : t('common.no')),
          },
          {
            title: t('common.actions'),
            render: (_, f) => (
              <Button size="small" onClick={() => setEditing(f)}>
                {t('common.edit')}
              </Button>
            ),
          },
        ]}
      />
      <CustomFieldFormModal
        open={editing !== null}
        field={editing === 'new' ? undefined : (editing ?? undefined)}
        onClose={() => setEditing(null)}
      />
    </Card>
  );
}
