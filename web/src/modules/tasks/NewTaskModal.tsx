import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Checkbox, DatePicker, Flex, Form, Input, Modal, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDirectory } from '../../api/directory';
import { errorText } from '../../ui/errors';
import { useFormatters } from '../../ui/format';
import { orgInstant } from '../../ui/org-time';
import { useCan, useSession } from '../auth/session';
import { listCustomers } from '../customers/api';
import { createTask, myDayKeys, type NewTaskInput } from '../myday/api';
import { useLabel, useTaskTypes } from './api';

interface Values {
  kind: string;
  relatedId?: string;
  title: string;
  description?: string;
  assigneeId?: string;
  dueAt?: Dayjs | null;
  priority: NonNullable<NewTaskInput['priority']>;
  flags: string[];
}

export interface NewTaskPreset {
  kind?: string;
  /** A customer the task is about (the customer page's "new task / call back"). */
  related?: { id: string; name: string };
}

/** Customers to link, found by name, pinyin, initials or mobile as the user types. */
function CustomerPicker({
  value,
  onChange,
  preset,
}: {
  value?: string;
  onChange?: (v: string | undefined) => void;
  preset?: { id: string; name: string };
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const found = useQuery({
    queryKey: ['customers', 'picker', q],
    queryFn: () => listCustomers({ q: q || undefined }, '-updatedAt', null, 20),
    staleTime: 10_000,
  });
  const options = (found.data?.items ?? []).map((c) => ({
    value: c.id,
    label: c.mobile ? `${c.name} · ${c.mobile}` : c.name,
  }));
  if (preset && !options.some((o) => o.value === preset.id))
    options.unshift({ value: preset.id, label: preset.name });
  return (
    <Select
      allowClear
      showSearch={{ filterOption: false, onSearch: setQ }}
      value={value}
      onChange={onChange}
      loading={found.isFetching}
      placeholder={t('dayOne.task.relatedSearch')}
      options={options}
      data-testid="task-related"
    />
  );
}

/**
 * New task: for yourself, or (supervisors, task.read.team) for a member of the org; of a type (call back…) and
 * about a customer when one is linked.
 */
export function NewTaskModal({
  open,
  onClose,
  preset,
}: {
  open: boolean;
  onClose: () => void;
  preset?: NewTaskPreset;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const can = useCan();
  const session = useSession();
  const team = can('task.read.team');
  const directory = useDirectory(open && team);
  const [form] = Form.useForm<Values>();
  const { timeZone } = useFormatters();
  const types = useTaskTypes(open);
  const label = useLabel();
  const presetKind = preset?.kind;
  const presetRelated = preset?.related;
  useEffect(() => {
    if (!open || !presetKind || !types.data) return;
    const type = types.data.find((x) => x.key === presetKind);
    form.setFieldsValue({
      kind: presetKind,
      relatedId: presetRelated?.id,
      title:
        form.getFieldValue('title') ||
        [type ? label(type.label, type.key) : '', presetRelated?.name].filter(Boolean).join(' · '),
    });
  }, [open, presetKind, presetRelated, types.data, form, label]);
  const save = useMutation({
    mutationFn: (v: Values) =>
      createTask({
        kind: v.kind,
        ...(v.relatedId ? { relatedType: 'customer', relatedId: v.relatedId } : {}),
        title: v.title.trim(),
        description: v.description,
        assigneeId: v.assigneeId,
        dueAt: v.dueAt ? orgInstant(v.dueAt, timeZone) : null,
        priority: v.priority,
        urgent: v.flags.includes('urgent'),
        important: v.flags.includes('important'),
      }),
    onSuccess: () => {
      message.success(t('myday.taskCreated'));
      form.resetFields();
      onClose();
      void qc.invalidateQueries({ queryKey: myDayKeys.all });
      void qc.invalidateQueries({ queryKey: ['tasks'] });
    },
  });
  const priorities = ['low', 'normal', 'high', 'urgent'] as const;
  return (
    <Modal
      open={open}
      title={t('myday.newTask')}
      okText={t('common.create')}
      okButtonProps={{ 'data-testid': 'task-create' } as Record<string, string>}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      forceRender
    >
      {save.isError && (
        <Alert type="error" showIcon title={errorText(save.error, t)} style={{ marginBottom: 12 }} />
      )}
      <Form<Values>
        name="newTask"
        form={form}
        layout="vertical"
        initialValues={{ kind: 'general', priority: 'normal', flags: [], assigneeId: session.user.id }}
        onFinish={(v) => save.mutate(v)}
      >
        <Flex gap={16} wrap>
          <Form.Item name="kind" label={t('dayOne.task.type')}>
            <Select
              style={{ width: 180 }}
              data-testid="task-kind"
              loading={types.isLoading}
              options={(types.data ?? [])
                .filter((x) => x.active)
                .map((x) => ({ value: x.key, label: label(x.label, x.key) }))}
            />
          </Form.Item>
          <Form.Item name="relatedId" label={t('dayOne.task.related')} style={{ flex: 1, minWidth: 240 }}>
            <CustomerPicker preset={presetRelated} />
          </Form.Item>
        </Flex>
        <Form.Item
          name="title"
          label={t('myday.titleLabel')}
          rules={[{ required: true, whitespace: true, message: t('myday.titleRequired') }]}
        >
          <Input maxLength={300} data-testid="task-title" />
        </Form.Item>
        <Form.Item name="description" label={t('myday.description')}>
          <Input.TextArea autoSize={{ minRows: 2 }} maxLength={5000} />
        </Form.Item>
        {team && (
          <Form.Item name="assigneeId" label={t('myday.assignee')}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              loading={directory.isLoading}
              options={(directory.data ?? []).map((u) => ({
                value: u.id,
                label: `${u.name} · ${u.roleName}`,
              }))}
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
              options={priorities.map((p) => ({ value: p, label: t(`myday.priorities.${p}`) }))}
            />
          </Form.Item>
        </Space>
        <Form.Item name="flags">
          <Checkbox.Group
            options={[
              { value: 'urgent', label: t('tasks.urgent') },
              { value: 'important', label: t('tasks.important') },
            ]}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
