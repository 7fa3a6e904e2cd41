import { PlusOutlined } from '@ant-design/icons';
import { useQueries } from '@tanstack/react-query';
import { Alert, Button, Card, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorText } from '../../ui/errors';
import { useFormatters } from '../../ui/format';
import {
  canonical,
  getDefinition,
  type ProcessSummary,
  processKeys,
  useDefinitions,
  useText,
  versionDefinition,
} from './api';
import { NewProcessModal } from './NewProcessModal';

export default function ProcessListPage() {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const text = useText();
  const defs = useDefinitions();
  const [createOpen, setCreateOpen] = useState(false);
  const items = defs.data ?? [];
  // The list has no published definitions: each detail tells whether its draft differs from the current version.
  const details = useQueries({
    queries: items.map((d) => ({
      queryKey: [...processKeys.definition(d.key), d.version],
      queryFn: () => getDefinition(d.key),
      staleTime: 30_000,
      enabled: d.currentVersion !== null,
    })),
  });
  const differs = (d: ProcessSummary, i: number): boolean | undefined => {
    if (d.currentVersion === null) return undefined;
    const detail = details[i]?.data?.detail;
    if (!detail) return undefined;
    return canonical(versionDefinition(detail, d.currentVersion)) !== canonical(d.draft);
  };
  const recordTypeLabel = (r: string) =>
    (t('processes.recordTypes', { returnObjects: true }) as Record<string, string>)[r] ?? r;

  return (
    <Card
      title={
        <Space orientation="vertical" size={0} style={{ padding: '8px 0' }}>
          <span>{t('processes.list.title')}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
            {t('processes.list.subtitle')}
          </Typography.Text>
        </Space>
      }
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setCreateOpen(true)}
          data-testid="new-process"
        >
          {t('processes.list.newProcess')}
        </Button>
      }
    >
      {defs.isError && (
        <Alert type="error" showIcon title={errorText(defs.error, t)} style={{ marginBottom: 16 }} />
      )}
      <Table<ProcessSummary>
        rowKey="key"
        data-testid="process-table"
        loading={defs.isLoading}
        dataSource={items}
        pagination={false}
        columns={[
          {
            title: t('processes.list.name'),
            render: (_, d) => (
              <Space wrap>
                <Link to={`/admin/processes/${encodeURIComponent(d.key)}`}>{text(d.draft?.name, d.key)}</Link>
                {d.builtin && <Tag color="blue">{t('processes.list.builtin')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('processes.list.key'),
            dataIndex: 'key',
            render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
          },
          {
            title: t('processes.list.recordType'),
            dataIndex: 'recordType',
            render: (v: string) => recordTypeLabel(v),
          },
          {
            title: t('processes.list.currentVersion'),
            render: (_, d, i) => (
              <Space wrap>
                {d.currentVersion === null ? (
                  <Tag>{t('processes.list.unpublished')}</Tag>
                ) : (
                  <Typography.Text>v{d.currentVersion}</Typography.Text>
                )}
                {differs(d, i) && (
                  <Tag color="orange" data-testid="draft-differs">
                    {t('processes.list.draftDiffers')}
                  </Tag>
                )}
              </Space>
            ),
          },
          {
            title: t('processes.list.updatedAt'),
            dataIndex: 'updatedAt',
            render: (v: string) => fmt.dateTime(v),
          },
        ]}
      />
      <NewProcessModal open={createOpen} templates={items} onClose={() => setCreateOpen(false)} />
    </Card>
  );
}
