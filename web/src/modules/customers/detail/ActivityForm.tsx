import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, DatePicker, Form, Input, Row, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client';
import { applyFieldErrors, errorText } from '../../../ui/errors';
import { useFormatters } from '../../../ui/format';
import { orgInstant } from '../../../ui/org-time';
import { addActivity, customerKeys } from '../api';
import { ACTIVITY_KINDS, type ActivityKind } from './CustomerTimeline';

interface Values {
  kind: ActivityKind;
  subject?: string;
  body: string;
  occurredAt?: Dayjs | null;
}
const FIELDS = new Set(['kind', 'subject', 'body', 'occurredAt']);

export function ActivityForm({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const { timeZone } = useFormatters();
  const mutation = useMutation({
    mutationFn: (v: Values) =>
      addActivity(customerId, {
        kind: v.kind,
        subject: v.subject?.trim() || undefined,
        body: v.body.trim(),
        occurredAt: v.occurredAt ? orgInstant(v.occurredAt, timeZone) : undefined,
      }),
    onSuccess: () => {
      message.success(t('customer.activity.added'));
      form.resetFields();
      void qc.invalidateQueries({ queryKey: customerKeys.timeline(customerId) });
    },
    onError: (e) => applyFieldErrors(form, e, FIELDS),
  });
  const generalError =
    mutation.error && !(mutation.error instanceof ApiError && Object.keys(mutation.error.fields).length);

  return (
    <Card title={t('customer.activity.title')} size="small">
      {generalError && (
        <Alert type="error" showIcon title={errorText(mutation.error, t)} style={{ marginBottom: 12 }} />
      )}
      <Form
        form={form}
        name="activity"
        layout="vertical"
        initialValues={{ kind: 'call' }}
        onFinish={(v) => mutation.mutate(v)}
      >
        <Row gutter={12}>
          <Col span={10}>
            <Form.Item name="kind" label={t('customer.activity.kind')} rules={[{ required: true }]}>
              <Select
                options={ACTIVITY_KINDS.map((k) => ({ value: k, label: t(`customer.activity.kinds.${k}`) }))}
              />
            </Form.Item>
          </Col>
          <Col span={14}>
            <Form.Item name="occurredAt" label={t('customer.activity.occurredAt')}>
              <DatePicker
                showTime={{ format: 'HH:mm' }}
                format="YYYY-MM-DD HH:mm"
                style={{ width: '100%' }}
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="subject" label={t('customer.activity.subject')}>
          <Input />
        </Form.Item>
        <Form.Item
          name="body"
          label={t('customer.activity.body')}
          rules={[{ required: true, whitespace: true, message: t('customer.activity.bodyRequired') }]}
        >
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={mutation.isPending}>
          {t('customer.activity.add')}
        </Button>
      </Form>
    </Card>
  );
}
