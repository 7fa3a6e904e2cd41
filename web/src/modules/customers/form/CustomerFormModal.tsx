import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Modal } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client';
import type { Customer, DuplicateCandidate } from '../../../api/types';
import { applyFieldErrors, errorText } from '../../../ui/errors';
import {
  type CustomerCreateInput,
  createCustomer,
  customerKeys,
  updateCustomer,
  useCustomFields,
} from '../api';
import { CustomerFormFields } from './CustomerFormFields';
import { DuplicateAlert } from './DuplicateAlert';
import {
  changedOnly,
  FORM_FIELDS,
  type FormValues,
  fromFormValues,
  toFormValues,
  withoutEmpty,
} from './values';

interface Props {
  open: boolean;
  /** Present when editing. */
  customer?: Customer;
  etag?: string | null;
  onClose: () => void;
  onSaved?: (c: Customer) => void;
}

export function CustomerFormModal({ open, customer, etag, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const fields = useCustomFields();
  const defs = useMemo(() => fields.data ?? [], [fields.data]);
  const [duplicates, setDuplicates] = useState<DuplicateCandidate[] | null>(null);
  const [otherErrors, setOtherErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const editing = Boolean(customer);

  const shown = useMemo(
    () => new Set<string>([...FORM_FIELDS, ...defs.map((d) => `custom.${d.key}`)]),
    [defs],
  );

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(toFormValues(customer, defs));
    setDuplicates(null);
    setOtherErrors({});
    setFailure(null);
  }, [open, customer, defs, form]);

  const mutation = useMutation({
    mutationFn: async ({ values, allowDuplicate }: { values: FormValues; allowDuplicate: boolean }) => {
      const body = fromFormValues(values, defs);
      if (customer) {
        const before = fromFormValues(toFormValues(customer, defs), defs);
        const patch = changedOnly(before, body);
        return updateCustomer(customer.id, etag ?? null, patch);
      }
      const created = await createCustomer({
        // The form requires a name; the server answers 422 with the field if it is missing.
        ...(withoutEmpty(body) as CustomerCreateInput),
        ...(allowDuplicate ? { allowDuplicate: true } : {}),
      });
      return { customer: created, etag: null };
    },
    onMutate: () => {
      setFailure(null);
      setOtherErrors({});
    },
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: ['customers', 'list'] });
      void qc.invalidateQueries({ queryKey: customerKeys.timeline(r.customer.id) });
      if (editing) qc.setQueryData(customerKeys.one(r.customer.id), r);
      message.success(editing ? t('common.saved') : t('common.created'));
      onClose();
      onSaved?.(r.customer);
    },
    onError: (e) => {
      if (e instanceof ApiError && e.code === 'duplicate_customer') {
        setDuplicates(e.body.candidates ?? []);
        return;
      }
      if (e instanceof ApiError && e.status === 412) {
        modal.confirm({
          title: t('errors.staleTitle'),
          content: t('errors.staleBody'),
          okText: t('common.reload'),
          cancelText: t('common.cancel'),
          onOk: async () => {
            if (customer) await qc.invalidateQueries({ queryKey: customerKeys.one(customer.id) });
            onClose();
          },
        });
        return;
      }
      if (e instanceof ApiError && Object.keys(e.fields).length) {
        setOtherErrors(applyFieldErrors(form, e, shown));
        setFailure(e.message);
        return;
      }
      setFailure(errorText(e, t));
    },
  });

  const submit = (allowDuplicate: boolean) => {
    form
      .validateFields()
      .then((values) => mutation.mutate({ values, allowDuplicate }))
      .catch(() => undefined);
  };

  return (
    <Modal
      open={open}
      title={editing ? t('customer.form.editTitle') : t('customer.form.createTitle')}
      width={880}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={mutation.isPending}
      onOk={() => submit(false)}
      onCancel={onClose}
      forceRender
      okButtonProps={{ 'data-testid': 'customer-save' } as Record<string, string>}
    >
      {failure && (
        <Alert
          type="error"
          showIcon
          data-testid="form-error"
          style={{ marginBottom: 12 }}
          title={failure}
          description={
            Object.keys(otherErrors).length ? (
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {Object.entries(otherErrors).map(([k, v]) => (
                  <li key={k}>
                    {k}: {v}
                  </li>
                ))}
              </ul>
            ) : undefined
          }
        />
      )}
      {duplicates && (
        <DuplicateAlert
          candidates={duplicates}
          loading={mutation.isPending}
          onCreateAnyway={() => submit(true)}
          onOpen={onClose}
        />
      )}
      <Form
        form={form}
        name="customer"
        layout="vertical"
        requiredMark
        onValuesChange={() => duplicates && setDuplicates(null)}
      >
        <CustomerFormFields customFields={defs} />
      </Form>
    </Modal>
  );
}
