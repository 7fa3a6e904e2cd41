import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLocale, pickLabel } from '../../i18n';
import { errorText } from '../../ui/errors';
import { type TaskType, useTaskTypes } from '../tasks/api';
import { TaskTypeFormModal } from './TaskTypeFormModal';

/** Admin: the org's task types (built-in general and call back, and those added) with their outcome codes. */
export default function TaskTypesPage() {
  const { t } = useTranslation();
  const types = useTaskTypes();
  const [editing, setEditing] = useState<TaskType | 'new' | null>(null);
  const locale = currentLocale();

  return (
    <Card
      title={t('taskTypes.title')}
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setEditing('new')}
          data-testid="task-type-new"
        >
          {t('taskTypes.new')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('taskTypes.intro')}</Typography.Paragraph>
      {types.isError && (
        <Alert type="error" showIcon title={errorText(types.error, t)} style={{ marginBottom: 16 }} />
      )}
      <Table<TaskType>
        rowKey="key"
        data-testid="task-type-table"
        loading={types.isLoading}
        dataSource={types.data ?? []}
        pagination={false}
        onRow={(r) => ({ 'data-testid': `task-type-${r.key}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t('taskTypes.label'),
            width: 200,
            render: (_, r) => (
              <Space size={4}>
                <Typography.Text strong>{pickLabel(r.label, locale, r.key)}</Typography.Text>
                {r.builtin && <Tag>{t('taskTypes.builtin')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('taskTypes.key'),
            dataIndex: 'key',
            width: 160,
            render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
          },
          {
            title: t('taskTypes.outcomes'),
            render: (_, r) =>
              r.outcomes.length ? (
                <Space size={[4, 4]} wrap>
                  {r.outcomes.map((o) => (
                    <Tag key={o.code} color="blue" title={o.code}>
                      {pickLabel(o.label, locale, o.code)}
                    </Tag>
                  ))}
                </Space>
              ) : (
                <Typography.Text type="secondary">{t('taskTypes.noOutcomes')}</Typography.Text>
              ),
          },
          {
            title: t('taskTypes.status'),
            width: 100,
            render: (_, r) =>
              r.active ? (
                <Tag color="green">{t('taskTypes.active')}</Tag>
              ) : (
                <Tag>{t('taskTypes.inactive')}</Tag>
              ),
          },
          {
            title: t('common.actions'),
            width: 100,
            render: (_, r) => (
              <Button size="small" onClick={() => setEditing(r)} data-testid="task-type-edit">
                {t('common.edit')}
              </Button>
            ),
          },
        ]}
      />
      <TaskTypeFormModal
        open={editing !== null}
        type={editing === 'new' ? undefined : (editing ?? undefined)}
        existingKeys={(types.data ?? []).map((x) => x.key)}
        onClose={() => setEditing(null)}
      />
    </Card>
  );
}
