import { CheckOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { client } from '../../api/client';
import { useDirectory } from '../../api/directory';
import { usePagedList } from '../../api/paging';
import type { QueryOf, Task } from '../../api/types';
import { errorText } from '../../ui/errors';
import { useFormatters } from '../../ui/format';
import { LoadMore } from '../../ui/LoadMore';
import { useCan } from '../auth/session';
import { updateTask, useLabel, useTaskTypes } from './api';
import { NewTaskModal } from './NewTaskModal';

const isOverdue = (task: Task, now: number) =>
  Boolean(task.status === 'open' && task.dueAt && Date.parse(task.dueAt) < now);

/** Overdue first (oldest due first), then by due date, undated last. */
export function sortTasks(tasks: Task[], now = Date.now()): Task[] {
  const due = (x: Task) => (x.dueAt ? Date.parse(x.dueAt) : Number.POSITIVE_INFINITY);
  return [...tasks].sort((a, b) => Number(isOverdue(b, now)) - Number(isOverdue(a, now)) || due(a) - due(b));
}

type TaskQuery = NonNullable<QueryOf<'/api/v1/tasks', 'get'>>;
type Filter = Pick<TaskQuery, 'status' | 'assignee' | 'priority' | 'kind' | 'dueBefore'>;
const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
type Priority = (typeof PRIORITIES)[number];

interface EditValues {
  title: string;
  description?: string;
  assigneeId?: string;
  dueAt?: Dayjs | null;
  priority: Priority;
}

export default function MyTasksPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const fmt = useFormatters();
  const qc = useQueryClient();
  const can = useCan();
  const team = can('task.read.team');
  const directory = useDirectory(team);
  const types = useTaskTypes();
  const label = useLabel();
  const [filter, setFilter] = useState<Filter>({ status: 'open', assignee: 'me' });
  const [creating, setCreating] = useState(false);
  const [completing, setCompleting] = useState<Task | null>(null);
  const [editing, setEditing] = useState<Task | null>(null);
  const [form] = Form.useForm<{ outcome?: string; outcomeCode?: string }>();
  const [editForm] = Form.useForm<EditValues>();
  // The API pages by status and due time (undated last), so loading more only appends later tasks.
  const query = usePagedList(['tasks', 'list', filter], (page, signal) =>
    client.GET('/api/v1/tasks', { params: { query: { ...filter, ...page } }, signal }),
  );
  const typeOf = (kind: string) => (types.data ?? []).find((x) => x.key === kind);
  const codes = completing ? (typeOf(completing.kind)?.outcomes ?? []) : [];
  const refresh = () => void qc.invalidateQueries({ queryKey: ['tasks'] });

  const complete = useMutation({
    mutationFn: ({ task, outcome, outcomeCode }: { task: Task; outcome?: string; outcomeCode?: string }) =>
      updateTask(task.id, { status: 'done', outcome: outcome?.trim() || undefined, outcomeCode }),
    onSuccess: () => {
      message.success(t('tasks.completed'));
      setCompleting(null);
      form.resetFields();
      refresh();
    },
  });
  const edit = useMutation({
    mutationFn: ({ task, v }: { task: Task; v: EditValues }) =>
      updateTask(
        task.id,
        {
          title: v.title.trim(),
          description: v.description ?? '',
          assigneeId: v.assigneeId,
          dueAt: v.dueAt ? v.dueAt.toDate().toISOString() : null,
          priority: v.priority,
        },
        task.version,
      ),
    onSuccess: () => {
      message.success(t('dayOne.task.saved'));
      setEditing(null);
      refresh();
    },
  });
  const users = new Map((directory.data ?? []).map((u) => [u.id, u.name]));
  const now = Date.now();
  const tasks = sortTasks(query.items, now);
  const set = (patch: Partial<Filter>) => setFilter((f) => ({ ...f, ...patch }));

  return (
    <Card
      title={t('tasks.title')}
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setCreating(true)}
          data-testid="new-task"
        >
          {t('dayOne.task.newTask')}
        </Button>
      }
    >
      <Space wrap style={{ marginBottom: 16 }} data-testid="task-filters">
        <Select
          style={{ width: 130 }}
          value={filter.status ?? 'all'}
          onChange={(v) => set({ status: v === 'all' ? undefined : (v as Filter['status']) })}
          options={(['open', 'done', 'cancelled', 'all'] as const).map((s) => ({
            value: s,
            label: t(`dayOne.task.status.${s}`),
          }))}
          data-testid="filter-status"
        />
        {team && (
          <Select
            style={{ width: 180 }}
            value={filter.assignee ?? 'me'}
            onChange={(v) => set({ assignee: v })}
            showSearch={{ optionFilterProp: 'label' }}
            options={[
              { value: 'me', label: t('dayOne.task.assignee.me') },
              { value: 'team', label: t('dayOne.task.assignee.team') },
              ...(directory.data ?? []).map((u) => ({ value: u.id, label: u.name })),
            ]}
            data-testid="filter-assignee"
          />
        )}
        <Select
          style={{ width: 140 }}
          allowClear
          placeholder={t('dayOne.task.anyPriority')}
          value={filter.priority}
          onChange={(v) => set({ priority: v })}
          options={PRIORITIES.map((p) => ({ value: p, label: t(`myday.priorities.${p}`) }))}
          data-testid="filter-priority"
        />
        <Select
          style={{ width: 150 }}
          allowClear
          placeholder={t('dayOne.task.anyType')}
          value={filter.kind}
          onChange={(v) => set({ kind: v })}
          options={(types.data ?? []).map((x) => ({ value: x.key, label: label(x.label, x.key) }))}
          data-testid="filter-type"
        />
        <DatePicker
          placeholder={t('dayOne.task.dueBefore')}
          value={filter.dueBefore ? dayjs(filter.dueBefore) : null}
          onChange={(d) => set({ dueBefore: d ? d.endOf('day').toISOString() : undefined })}
        />
      </Space>
      {query.isError && (
        <Alert type="error" showIcon title={errorText(query.error, t)} style={{ marginBottom: 16 }} />
      )}
      <Table<Task>
        rowKey="id"
        data-testid="task-table"
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
                <Tag color={r.status === 'open' ? 'blue' : r.status === 'done' ? 'green' : 'default'}>
                  {t(`dayOne.task.status.${r.status}`)}
                </Tag>
              ),
          },
          {
            title: t('tasks.name'),
            dataIndex: 'title',
            render: (_, r) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text strong>{r.title}</Typography.Text>
                {r.description && <Typography.Text type="secondary">{r.description}</Typography.Text>}
                {r.outcome && <Typography.Text type="secondary">→ {r.outcome}</Typography.Text>}
              </Space>
            ),
          },
          {
            title: t('dayOne.task.type_'),
            width: 110,
            render: (_, r) => label(typeOf(r.kind)?.label, r.kind),
          },
          {
            title: t('tasks.priority'),
            render: (_, r) => (
              <Space size={4} wrap>
                {r.urgent && <Tag color="volcano">{t('tasks.urgent')}</Tag>}
                {r.important && <Tag color="gold">{t('tasks.important')}</Tag>}
                <Tag data-testid="task-priority">
                  {t(`myday.priorities.${r.priority as Priority}`, { defaultValue: r.priority })}
                </Tag>
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
              r.relatedType && r.relatedId ? (
                <Link to={`/records/${r.relatedType}/${r.relatedId}`} data-testid="task-related-link">
                  {r.relatedTitle ?? r.relatedType}
                </Link>
              ) : (
                t('common.none')
              ),
          },
          ...(team
            ? [
                {
                  title: t('dayOne.task.assigneeCol'),
                  render: (_: unknown, r: Task) =>
                    r.assigneeId ? (users.get(r.assigneeId) ?? '…') : t('common.none'),
                },
              ]
            : []),
          {
            title: t('common.actions'),
            width: 170,
            render: (_, r) =>
              r.status === 'open' ? (
                <Space size={4}>
                  <Button
                    size="small"
                    type="primary"
                    icon={<CheckOutlined />}
                    onClick={() => {
                      complete.reset();
                      form.resetFields();
                      setCompleting(r);
                    }}
                    data-testid="task-complete"
                  >
                    {t('tasks.complete')}
                  </Button>
                  <Button
                    size="small"
                    icon={<EditOutlined />}
                    onClick={() => {
                      edit.reset();
                      editForm.setFieldsValue({
                        title: r.title,
                        description: r.description,
                        assigneeId: r.assigneeId ?? undefined,
                        dueAt: r.dueAt ? dayjs(r.dueAt) : null,
                        priority: r.priority as Priority,
                      });
                      setEditing(r);
                    }}
                    data-testid="task-edit"
                  >
                    {t('dayOne.task.edit')}
                  </Button>
                </Space>
              ) : null,
          },
        ]}
      />
      <LoadMore
        hasMore={query.hasNextPage}
        loading={query.isFetchingNextPage}
        onClick={() => void query.fetchNextPage()}
      />
      <NewTaskModal open={creating} onClose={() => setCreating(false)} />
      <Modal
        open={Boolean(completing)}
        title={`${t('tasks.completeTitle')}${completing ? ` · ${completing.title}` : ''}`}
        okText={t('tasks.complete')}
        cancelText={t('common.cancel')}
        confirmLoading={complete.isPending}
        onOk={() => form.submit()}
        onCancel={() => setCompleting(null)}
        okButtonProps={{ 'data-testid': 'task-complete-ok' } as Record<string, string>}
        forceRender
      >
        {complete.isError && (
          <Alert type="error" showIcon title={errorText(complete.error, t)} style={{ marginBottom: 12 }} />
        )}
        <Form
          name="completeTask"
          form={form}
          layout="vertical"
          onFinish={(v) =>
            completing &&
            complete.mutate({ task: completing, outcome: v.outcome, outcomeCode: v.outcomeCode })
          }
        >
          {codes.length > 0 && (
            <Form.Item
              name="outcomeCode"
              label={t('dayOne.task.outcomeCode')}
              rules={[{ required: true, message: t('dayOne.task.outcomeCodeRequired') }]}
            >
              <Select
                data-testid="task-outcome-code"
                options={codes.map((o) => ({ value: o.code, label: label(o.label, o.code) }))}
              />
            </Form.Item>
          )}
          <Form.Item
            name="outcome"
            label={codes.length ? t('dayOne.task.note') : t('tasks.outcome')}
            rules={
              codes.length ? [] : [{ required: true, whitespace: true, message: t('tasks.outcomeRequired') }]
            }
          >
            <Input.TextArea autoSize={{ minRows: 3 }} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={Boolean(editing)}
        title={t('dayOne.task.editTitle')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={edit.isPending}
        onOk={() => editForm.submit()}
        onCancel={() => setEditing(null)}
        forceRender
      >
        {edit.isError && (
          <Alert type="error" showIcon title={errorText(edit.error, t)} style={{ marginBottom: 12 }} />
        )}
        <Form<EditValues>
          name="editTask"
          form={editForm}
          layout="vertical"
          onFinish={(v) => editing && edit.mutate({ task: editing, v })}
        >
          <Form.Item
            name="title"
            label={t('myday.titleLabel')}
            rules={[{ required: true, whitespace: true, message: t('myday.titleRequired') }]}
          >
            <Input maxLength={300} />
          </Form.Item>
          <Form.Item name="description" label={t('myday.description')}>
            <Input.TextArea autoSize={{ minRows: 2 }} maxLength={5000} />
          </Form.Item>
          {team && (
            <Form.Item name="assigneeId" label={t('myday.assignee')}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={(directory.data ?? []).map((u) => ({
                  value: u.id,
                  label: `${u.name} · ${u.roleName}`,
                }))}
                data-testid="task-assignee"
              />
            </Form.Item>
          )}
          <Space size="large" wrap>
            <Form.Item name="dueAt" label={t('myday.dueAt')}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
            </Form.Item>
            <Form.Item name="priority" label={t('myday.priority')}>
              <Select
                style={{ width: 120 }}
                options={PRIORITIES.map((p) => ({ value: p, label: t(`myday.priorities.${p}`) }))}
              />
            </Form.Item>
          </Space>
        </Form>
      </Modal>
    </Card>
  );
}
