import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, DatePicker, Form, Input, Modal, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client, unwrap } from '../../api/client';
import { errorText } from '../../ui/errors';
import { useFormatters } from '../../ui/format';
import { orgInstant } from '../../ui/org-time';
import { createPromise, myDayKeys } from './api';

interface Values {
  what: string;
  customerId?: string;
  toText?: string;
  dueAt: Dayjs;
}

/** Record a promise made to a customer (found by search) or to someone named in words. */
export function NewPromiseModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [form] = Form.useForm<Values>();
  const { timeZone } = useFormatters();
  const customers = useQuery({
    queryKey: ['customers', 'pick', q],
    queryFn: () => unwrap(client.GET('/api/v1/customers', { params: { query: { q, limit: 10 } } })),
    enabled: open,
    staleTime: 10_000,
  });
  const save = useMutation({
    mutationFn: (v: Values) =>
      createPromise({
        what: v.what.trim(),
        customerId: v.customerId,
        toText: v.toText?.trim() || undefined,
        dueAt: orgInstant(v.dueAt, timeZone),
      }),
    onSuccess: () => {
      message.success(t('myday.promiseCreated'));
      form.resetFields();
      onClose();
      void qc.invalidateQueries({ queryKey: myDayKeys.all });
    },
  });
  return (
    <Modal
      open={open}
      title={t('myday.newPromise')}
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
      <Form<Values> name="newPromise" form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item
          name="what"
          label={t('myday.what')}
          rules={[{ required: true, whitespace: true, message: t('myday.whatRequired') }]}
        >
          <Input.TextArea autoSize={{ minRows: 2 }} maxLength={1000} />
        </Form.Item>
        <Form.Item name="customerId" label={t('myday.customer')}>
          <Select
            allowClear
            placeholder={t('myday.customerSearch')}
            showSearch={{ filterOption: false, onSearch: setQ }}
            loading={customers.isFetching}
            options={(customers.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
          />
        </Form.Item>
        <Form.Item
          name="toText"
          label={t('myday.toText')}
          dependencies={['customerId']}
          rules={[
            ({ getFieldValue }) => ({
              validator: (_r, v: string | undefined) =>
                getFieldValue('customerId') || v?.trim()
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('myday.recipientRequired'))),
            }),
          ]}
        >
          <Input maxLength={300} />
        </Form.Item>
        <Form.Item
          name="dueAt"
          label={t('myday.dueAt')}
          rules={[{ required: true, message: t('myday.dueRequired') }]}
        >
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
