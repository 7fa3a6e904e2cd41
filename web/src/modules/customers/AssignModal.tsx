import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Radio, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDirectory } from '../../api/directory';
import { errorText } from '../../ui/errors';
import { assignCustomers } from './api';

interface Props {
  open: boolean;
  customerIds: string[];
  onClose: (done: boolean) => void;
}

interface Values {
  strategy: 'agent' | 'least_loaded';
  agentId?: string;
  skill?: string;
}

export function AssignModal({ open, customerIds, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const strategy = Form.useWatch('strategy', form) ?? 'agent';
  const users = useDirectory(open);

  const mutation = useMutation({
    mutationFn: (v: Values) =>
      assignCustomers({
        customerIds,
        strategy: v.strategy,
        agentId: v.strategy === 'agent' ? v.agentId : undefined,
        skill: v.strategy === 'least_loaded' ? v.skill?.trim() : undefined,
      }),
    onSuccess: (r) => {
      message.success(t('customer.assign.done', { count: r.assigned }));
      void qc.invalidateQueries({ queryKey: ['customers'] });
      form.resetFields();
      onClose(true);
    },
  });

  return (
    <Modal
      open={open}
      title={`${t('customer.assign.title')} · ${t('customer.list.selected', { count: customerIds.length })}`}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      confirmLoading={mutation.isPending}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      {mutation.isError && (
        <Alert type="error" showIcon title={errorText(mutation.error, t)} style={{ marginBottom: 16 }} />
      )}
      <Form
        form={form}
        name="assign"
        layout="vertical"
        initialValues={{ strategy: 'agent' }}
        onFinish={(v) => mutation.mutate(v)}
      >
        <Form.Item name="strategy" label={t('customer.assign.strategy')}>
          <Radio.Group
            options={[
              { value: 'agent', label: t('customer.assign.toAgent') },
              { value: 'least_loaded', label: t('customer.assign.leastLoaded') },
            ]}
          />
        </Form.Item>
        {strategy === 'agent' ? (
          <Form.Item
            name="agentId"
            label={t('customer.assign.agent')}
            rules={[{ required: true, message: t('customer.assign.agentRequired') }]}
            help={users.isError ? t('customer.assign.noUsers') : undefined}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              loading={users.isLoading}
              placeholder={t('customer.form.selectPlaceholder')}
              options={(users.data ?? []).map((u) => ({ value: u.id, label: `${u.name} (${u.roleName})` }))}
            />
          </Form.Item>
        ) : (
          <Form.Item
            name="skill"
            label={t('customer.assign.skill')}
            rules={[{ required: true, whitespace: true, message: t('customer.assign.skillRequired') }]}
          >
            <Input placeholder={t('customer.assign.skillPlaceholder')} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
