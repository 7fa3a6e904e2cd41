import { EyeOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../../ui/errors';
import { revealCustomer } from '../api';

/** The personal fields shown in full after a reveal (only those the caller saw masked). */
export type Revealed = Partial<
  Record<'mobile' | 'phone' | 'email' | 'address' | 'birthday' | 'idNumber', string | null>
>;

/** Asks why, then shows the masked personal fields in full (the server logs the access and the reason). */
export function RevealButton({
  customerId,
  fields,
  onRevealed,
}: {
  customerId: string;
  fields: Array<keyof Revealed>;
  onRevealed: (r: Revealed) => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const mutation = useMutation({
    mutationFn: (reason: string) => revealCustomer(customerId, reason, fields),
    onSuccess: (r) => {
      setOpen(false);
      onRevealed(r);
    },
  });
  return (
    <>
      <Button size="small" icon={<EyeOutlined />} onClick={() => setOpen(true)} data-testid="reveal">
        {t('customer.detail.reveal')}
      </Button>
      <Modal
        open={open}
        title={t('customer.detail.revealTitle')}
        okText={t('common.ok')}
        cancelText={t('common.cancel')}
        confirmLoading={mutation.isPending}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        {mutation.isError && (
          <Alert type="error" showIcon title={errorText(mutation.error, t)} style={{ marginBottom: 12 }} />
        )}
        <Form form={form} name="reveal" layout="vertical" onFinish={(v) => mutation.mutate(v.reason.trim())}>
          <Form.Item
            name="reason"
            label={t('customer.detail.revealReason')}
            rules={[{ required: true, whitespace: true, message: t('customer.detail.revealReasonRequired') }]}
          >
            <Input.TextArea
              autoSize={{ minRows: 2 }}
              placeholder={t('customer.detail.revealReasonPlaceholder')}
            />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
