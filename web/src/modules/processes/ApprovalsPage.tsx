import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorText } from '../../ui/errors';
import { useFormatters } from '../../ui/format';
import { LoadMore } from '../../ui/LoadMore';
import {
  decideApproval,
  getInstance,
  type PendingApproval,
  processKeys,
  useApprovals,
  useDefinitions,
  useText,
} from './api';

type Decision = 'approve' | 'reject';

export default function ApprovalsPage() {
  const { t } = useTranslation();
  const text = useText();
  const fmt = useFormatters();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const approvals = useApprovals();
  const defs = useDefinitions();
  const items = approvals.items;
  const [deciding, setDeciding] = useState<{ approval: PendingApproval; decision: Decision } | null>(null);
  const [form] = Form.useForm<{ comment?: string }>();

  // The inbox rows carry the record's title and route; the instance tells the process.
  const instances = useQueries({
    queries: items.map((a) => ({
      queryKey: processKeys.instance(a.instanceId),
      queryFn: () => getInstance(a.instanceId),
      staleTime: 10_000,
    })),
  });

  const decide = useMutation({
    mutationFn: (v: { approval: PendingApproval; decision: Decision; comment?: string }) =>
      decideApproval(v.approval.id, v.decision, v.comment),
    onSuccess: (view, v) => {
      qc.setQueryData(processKeys.instance(view.id), view);
      void qc.invalidateQueries({ queryKey: processKeys.approvals });
      void qc.invalidateQueries({ queryKey: processKeys.instances(view.recordType, view.recordId) });
      message.success(
        t(v.decision === 'approve' ? 'processes.approvals.approved' : 'processes.approvals.rejected'),
      );
      setDeciding(null);
    },
  });

  const defOf = (i: number) => {
    const key = instances[i]?.data?.definitionKey;
    return key ? (defs.data ?? []).find((d) => d.key === key) : undefined;
  };
  const transitionName = (a: PendingApproval, i: number) =>
    text(defOf(i)?.draft.transitions?.find((x) => x.key === a.transition)?.name, a.transition);
  const stateName = (a: PendingApproval, i: number) =>
    text(instances[i]?.data?.states.find((s) => s.key === a.state)?.name, a.state);

  const open = (approval: PendingApproval, decision: Decision) => {
    decide.reset();
    form.resetFields();
    setDeciding({ approval, decision });
  };
  const idx = deciding ? items.findIndex((a) => a.id === deciding.approval.id) : -1;

  return (
    <Card
      title={
        <Space orientation="vertical" size={0} style={{ padding: '8px 0' }}>
          <span>{t('processes.approvals.title')}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
            {t('processes.approvals.subtitle')}
          </Typography.Text>
        </Space>
      }
    >
      {approvals.isError && (
        <Alert type="error" showIcon title={errorText(approvals.error, t)} style={{ marginBottom: 16 }} />
      )}
      <Table<PendingApproval>
        rowKey="id"
        data-testid="approvals-table"
        loading={approvals.isLoading}
        dataSource={items}
        pagination={false}
        locale={{ emptyText: t('processes.approvals.empty') }}
        columns={[
          {
            title: t('processes.approvals.record'),
            render: (_, a) => (
              <Link to={a.recordRoute}>{a.recordTitle || t('processes.approvals.openRecord')}</Link>
            ),
          },
          {
            title: t('processes.approvals.process'),
            render: (_, _a, i) => text(defOf(i)?.draft.name, instances[i]?.data?.definitionKey ?? '…'),
          },
          {
            title: t('processes.approvals.transition'),
            render: (_, a, i) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text strong>{transitionName(a, i)}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('processes.approval.step', { step: a.step })} ·{' '}
                  <span data-testid="approval-role">{a.approverRoleName}</span>
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: t('dayOne.approvals.requestedBy'),
            render: (_, a) => (
              <span data-testid="approval-requested-by">{a.requestedByName ?? t('common.none')}</span>
            ),
          },
          {
            title: t('dayOne.approvals.values'),
            render: (_, a, i) => {
              const entries = Object.entries(a.fields ?? {});
              if (!entries.length) return t('common.none');
              const defFields = defOf(i)?.draft.fields ?? [];
              return (
                <Space orientation="vertical" size={0} data-testid="approval-values">
                  {entries.map(([k, v]) => (
                    <Typography.Text key={k} style={{ fontSize: 12 }}>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {text(defFields.find((f) => f.key === k)?.label, k)}:
                      </Typography.Text>{' '}
                      {typeof v === 'boolean'
                        ? t(v ? 'common.yes' : 'common.no')
                        : typeof v === 'object'
                          ? JSON.stringify(v)
                          : String(v)}
                    </Typography.Text>
                  ))}
                </Space>
              );
            },
          },
          {
            title: t('processes.approvals.state'),
            render: (_, a, i) => <Tag color="blue">{stateName(a, i)}</Tag>,
          },
          {
            title: t('processes.approvals.requestedAt'),
            dataIndex: 'requestedAt',
            render: (v: string) => fmt.dateTime(v),
          },
          {
            title: t('common.actions'),
            render: (_, a) => (
              <Space>
                <Button
                  size="small"
                  type="primary"
                  icon={<CheckOutlined />}
                  onClick={() => open(a, 'approve')}
                  data-testid="approve"
                >
                  {t('processes.approvals.approve')}
                </Button>
                <Button
                  size="small"
                  danger
                  icon={<CloseOutlined />}
                  onClick={() => open(a, 'reject')}
                  data-testid="reject"
                >
                  {t('processes.approvals.reject')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <LoadMore
        hasMore={approvals.hasNextPage}
        loading={approvals.isFetchingNextPage}
        onClick={() => void approvals.fetchNextPage()}
      />
      <Modal
        open={deciding !== null}
        title={
          deciding
            ? t('processes.approvals.decisionTitle', {
                decision: t(
                  deciding.decision === 'approve'
                    ? 'processes.approvals.approve'
                    : 'processes.approvals.reject',
                ),
                transition: transitionName(deciding.approval, idx),
              })
            : ''
        }
        okText={
          deciding?.decision === 'reject' ? t('processes.approvals.reject') : t('processes.approvals.approve')
        }
        okButtonProps={{
          danger: deciding?.decision === 'reject',
          ...({ 'data-testid': 'decision-ok' } as object),
        }}
        cancelText={t('common.cancel')}
        confirmLoading={decide.isPending}
        onOk={() => form.submit()}
        onCancel={() => setDeciding(null)}
        forceRender
      >
        {decide.isError && (
          <Alert type="error" showIcon title={errorText(decide.error, t)} style={{ marginBottom: 12 }} />
        )}
        <Form
          form={form}
          layout="vertical"
          name="decision"
          onFinish={(v) =>
            deciding &&
            decide.mutate({
              approval: deciding.approval,
              decision: deciding.decision,
              comment: v.comment?.trim() || undefined,
            })
          }
        >
          <Form.Item name="comment" label={t('processes.approvals.comment')}>
            <Input.TextArea autoSize={{ minRows: 3 }} maxLength={4000} data-testid="decision-comment" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
