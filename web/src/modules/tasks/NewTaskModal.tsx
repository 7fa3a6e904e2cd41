import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Checkbox, DatePicker, Form, Input, Modal, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useDirectory } from '../../api/directory';
import { errorText } from '../../ui/errors';
import { useFormatters } from '../../ui/format';
import { orgInstant } from '../../ui/org-time';
import { useCan, useSession } from '../auth/session';
import { createTask, myDayKeys, type NewTaskInput } from '../myday/api';

interface Values {
  title: string;
  description?: string;
  assigneeId?: string;
  dueAt?: Dayjs | null;
  priority: NonNullable<NewTaskInput['priority']>;
  flags: string[];
}

/** New task: for yourself, or (supervisors, task.read.team) for a member of the org. */
export function NewTaskModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const can = useCan();
  const session = useSession();
  const team = can('task.read.team');
  const directory = useDirectory(open && team);
  const [form] = Form.useForm<Values>();
  const { timeZone } = useFormatters();
  const save = useMutation({
    mutationFn: (v: Values) =>
      createTask({
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
        initialValues={{ priority: 'normal', flags: [], assigneeId: session.user.id }}
        onFinish={(v) => save.mutate(v)}
      >
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
