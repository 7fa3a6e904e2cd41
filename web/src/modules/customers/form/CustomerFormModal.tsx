import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Modal } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError } from '../../../api/client';
import type { Customer, DuplicateCandidate } from '../../../api/types';
import { applyFieldErrors, errorText } from '../../../ui/errors';
import { useCan } from '../../auth/session';
import {
  type CustomerCreateInput,
  createCustomer,
  customerKeys,
  getCustomer,
  type MergeField,
  mergeCustomers,
  updateCustomer,
  useCustomFields,
} from '../api';
import { MergeModal, type MergeValues } from '../MergeModal';
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

  // Merge from the duplicate alert: the look-alike survives; the other side is what was typed (a new customer,
  // created then merged into it) or, when editing, the customer being edited.
  const can = useCan();
  const navigate = useNavigate();
  const [merging, setMerging] = useState<{ survivor: Customer; values: MergeValues } | null>(null);
  const openMerge = useMutation({
    mutationFn: async (id: string) => {
      const { customer: survivor } = await getCustomer(id);
      const values = (customer ?? fromFormValues(form.getFieldsValue(true), defs)) as MergeValues;
      return { survivor, values };
    },
    onSuccess: (m) => setMerging(m),
    onError: (e) => setFailure(errorText(e, t)),
  });
  const merge = useMutation({
    mutationFn: async (take: MergeField[]) => {
      if (!merging) throw new Error('nothing to merge');
      let sourceId = customer?.id;
      if (!sourceId) {
        const body = withoutEmpty(fromFormValues(form.getFieldsValue(true), defs));
        sourceId = (await createCustomer({ ...(body as CustomerCreateInput), allowDuplicate: true })).id;
      }
      return mergeCustomers(merging.survivor.id, sourceId, take);
    },
    onSuccess: (survivor) => {
      void qc.invalidateQueries({ queryKey: ['customers'] });
      message.success(t('dayOne.merge.done'));
      setMerging(null);
      onClose();
      navigate(`/customers/${survivor.id}`);
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
      // The duplicate warning sits right above the buttons: where the user clicked save.
      footer={(buttons) => (
        <>
          {duplicates && (
            <DuplicateAlert
              candidates={duplicates}
              loading={mutation.isPending || openMerge.isPending}
              onCreateAnyway={() => submit(true)}
              onOpen={onClose}
              onMerge={can('customer.merge') ? (id) => openMerge.mutate(id) : undefined}
            />
          )}
          {buttons}
        </>
      )}
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
      <Form
        form={form}
        name="customer"
        layout="vertical"
        requiredMark
        onValuesChange={() => duplicates && setDuplicates(null)}
      >
        <CustomerFormFields customFields={defs} />
      </Form>
      <MergeModal
        open={Boolean(merging)}
        survivor={merging?.survivor ?? null}
        other={
          merging
            ? { label: customer ? customer.name : t('dayOne.merge.typed'), values: merging.values }
            : null
        }
        loading={merge.isPending}
        error={merge.error}
        onMerge={(take) => merge.mutate(take)}
        onCancel={() => {
          merge.reset();
          setMerging(null);
        }}
      />
    </Modal>
  );
}
