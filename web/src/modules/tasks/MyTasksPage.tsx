import { CheckOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { client } from '../../api/client';
import { usePagedList } from '../../api/paging';
import type { Task } from '../../api/types';
import { errorText } from '../../ui/errors';
import { useFormatters } from '../../ui/format';
import { LoadMore } from '../../ui/LoadMore';
import { completeTask } from '../myday/api';

const isOverdue = (task: Task, now: number) => Boolean(task.dueAt && Date.parse(task.dueAt) < now);

/** Overdue first (oldest due first), then by due date, undated last. */
export function sortTasks(tasks: Task[], now = Date.now()): Task[] {
  const due = (x: Task) => (x.dueAt ? Date.parse(x.dueAt) : Number.POSITIVE_INFINITY);
  return [...tasks].sort((a, b) => Number(isOverdue(b, now)) - Number(isOverdue(a, now)) || due(a) - due(b));
}

export default function MyTasksPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const fmt = useFormatters();
  const qc = useQueryClient();
  const [completing, setCompleting] = useState<Task | null>(null);
  const [form] = Form.useForm<{ outcome: string }>();
  // The API pages by due time (undated last), so loading more only appends later tasks.
  const query = usePagedList(['tasks', 'mine', 'open'], (page, signal) =>
    client.GET('/api/v1/tasks', { params: { query: { assignee: 'me', status: 'open', ...page } }, signal }),
  );
  const complete = useMutation({
    mutationFn: ({ task, outcome }: { task: Task; outcome: string }) => completeTask(task.id, outcome),
    onSuccess: () => {
      message.success(t('tasks.completed'));
      setCompleting(null);
      form.resetFields();
      void qc.invalidateQueries({ queryKey: ['tasks'] });
    },
  });
  const now = Date.now();
  const tasks = sortTasks(query.items, now);

  return (
    <Card title={t('tasks.title')}>
      {query.isError && (
        <Alert type="error" showIcon title={errorText(query.error, t)} style={{ marginBottom: 16 }} />
      )}
      <Table<Task>
        rowKey="id"
        loading={query.isLoading}
        dataSource={tasks}
        pagination={false}
        locale={{ emptyText: t('tasks.empty') }}
        rowClassName={(r) => (isOverdue(r, now) ? 'kept-overdue' : '')}
        columns={[
          {
            title: t('common.status'),
            width: 110,
            render: (_, r) =>
              isOverdue(r, now) ? (
                <Tag color="red">{t('tasks.overdue')}</Tag>
              ) : (
                <Tag color="blue">{t('tasks.open')}</Tag>
              ),
          },
          {
            title: t('tasks.name'),
            dataIndex: 'title',
            render: (_, r) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text strong>{r.title}</Typography.Text>
                {r.description && <Typography.Text type="secondary">{r.description}</Typography.Text>}
              </Space>
            ),
          },
          {
            title: t('tasks.priority'),
            render: (_, r) => (
              <Space size={4}>
                {r.urgent && <Tag color="volcano">{t('tasks.urgent')}</Tag>}
                {r.important && <Tag color="gold">{t('tasks.important')}</Tag>}
                {r.priority && <Tag>{r.priority}</Tag>}
              </Space>
            ),
          },
          {
            title: t('tasks.due'),
            dataIndex: 'dueAt',
            render: (v: string | null, r) =>
              v ? (
                <Typography.Text type={isOverdue(r, now) ? 'danger' : undefined}>
                  {fmt.dateTime(v)}
                </Typography.Text>
              ) : (
                t('tasks.noDue')
              ),
          },
          {
            title: t('tasks.related'),
            render: (_, r) =>
              r.relatedType === 'customer' && r.relatedId ? (
                <Link to={`/customers/${r.relatedId}`}>{t('nav.customers')}</Link>
              ) : (
                (r.relatedType ?? t('common.none'))
              ),
          },
          {
            title: t('common.actions'),
            width: 110,
            render: (_, r) => (
              <Button size="small" type="primary" icon={<CheckOutlined />} onClick={() => setCompleting(r)}>
                {t('tasks.complete')}
              </Button>
            ),
          },
        ]}
      />
      <LoadMore
        hasMore={query.hasNextPage}
        loading={query.isFetchingNextPage}
        onClick={() => void query.fetchNextPage()}
      />
      <Modal
        open={Boolean(completing)}
        title={`${t('tasks.completeTitle')}${completing ? ` · ${completing.title}` : ''}`}
        okText={t('tasks.complete')}
        cancelText={t('common.cancel')}
        confirmLoading={complete.isPending}
        onOk={() => form.submit()}
        onCancel={() => setCompleting(null)}
        forceRender
      >
        {complete.isError && (
          <Alert type="error" showIcon title={errorText(complete.error, t)} style={{ marginBottom: 12 }} />
        )}
        <Form
          name="completeTask"
          form={form}
          layout="vertical"
          onFinish={(v) => completing && complete.mutate({ task: completing, outcome: v.outcome.trim() })}
        >
          <Form.Item
            name="outcome"
            label={t('tasks.outcome')}
            rules={[{ required: true, whitespace: true, message: t('tasks.outcomeRequired') }]}
          >
            <Input.TextArea autoSize={{ minRows: 3 }} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
