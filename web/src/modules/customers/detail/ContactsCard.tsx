import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Form, Input, Modal, Row, Select, Switch, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client';
import type { Contact } from '../../../api/types';
import { applyFieldErrors, errorText } from '../../../ui/errors';
import { useCan } from '../../auth/session';
import { type ContactInput, createContact, customerKeys, listContacts } from '../api';

const CONTACT_FIELDS = new Set([
  'name',
  'position',
  'mobile',
  'email',
  'phone',
  'gender',
  'isPrimary',
  'notes',
]);

export function ContactsCard({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Partial<Contact>>();
  const query = useQuery({
    queryKey: customerKeys.contacts(customerId),
    queryFn: () => listContacts(customerId),
  });
  const none = t('common.none');

  const mutation = useMutation({
    mutationFn: (v: Partial<Contact>) => {
      const body: Record<string, unknown> = { customerId, isPrimary: Boolean(v.isPrimary) };
      for (const [k, val] of Object.entries(v)) {
        if (k !== 'isPrimary' && val !== undefined && val !== null && String(val).trim() !== '')
          body[k] = typeof val === 'string' ? val.trim() : val;
      }
      return createContact(body as ContactInput);
    },
    onSuccess: () => {
      message.success(t('common.created'));
      setOpen(false);
      form.resetFields();
      void qc.invalidateQueries({ queryKey: customerKeys.contacts(customerId) });
    },
    onError: (e) => applyFieldErrors(form, e, CONTACT_FIELDS),
  });

  const formError =
    mutation.error instanceof ApiError && Object.keys(mutation.error.fields).length ? null : mutation.error;

  return (
    <Card
      title={t('customer.detail.contacts')}
      extra={
        can('customer.update') && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setOpen(true)}>
            {t('customer.detail.addContact')}
          </Button>
        )
      }
    >
      {query.isError && <Alert type="error" showIcon title={errorText(query.error, t)} />}
      <Table<Contact>
        rowKey="id"
        size="small"
        pagination={false}
        loading={query.isLoading}
        dataSource={query.data?.items ?? []}
        locale={{ emptyText: t('customer.detail.noContacts') }}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: t('customer.fields.name'),
            dataIndex: 'name',
            render: (_, c) => (
              <>
                {c.name} {c.isPrimary && <Tag color="blue">{t('customer.detail.primary')}</Tag>}
              </>
            ),
          },
          { title: t('customer.fields.position'), dataIndex: 'position', render: (v) => v ?? none },
          { title: t('customer.fields.mobile'), dataIndex: 'mobile', render: (v) => v ?? none },
          { title: t('customer.fields.email'), dataIndex: 'email', render: (v) => v ?? none },
          { title: t('customer.detail.notes'), dataIndex: 'notes', render: (v) => v ?? none },
        ]}
      />
      <Modal
        open={open}
        title={t('customer.detail.addContact')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={mutation.isPending}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        forceRender
        width={640}
      >
        {formError && (
          <Alert type="error" showIcon title={errorText(formError, t)} style={{ marginBottom: 12 }} />
        )}
        <Form form={form} name="contact" layout="vertical" onFinish={(v) => mutation.mutate(v)}>
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item
                name="name"
                label={t('customer.fields.name')}
                rules={[{ required: true, whitespace: true }]}
              >
                <Input />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="position" label={t('customer.fields.position')}>
                <Input />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="mobile" label={t('customer.fields.mobile')}>
                <Input inputMode="tel" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="email" label={t('customer.fields.email')}>
                <Input />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="phone" label={t('customer.fields.phone')}>
                <Input />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="gender" label={t('customer.fields.gender')}>
                <Select
                  allowClear
                  options={(['male', 'female', 'other'] as const).map((g) => ({
                    value: g,
                    label: t(`customer.gender.${g}`),
                  }))}
                />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name="notes" label={t('customer.detail.notes')}>
                <Input.TextArea autoSize={{ minRows: 2 }} />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name="isPrimary" label={t('customer.detail.primary')} valuePropName="checked">
                <Switch />
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Modal>
    </Card>
  );
}
