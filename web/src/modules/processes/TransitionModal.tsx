import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, DatePicker, Form, Input, InputNumber, Modal, Switch } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { applyFieldErrors, errorText } from '../../ui/errors';
import {
  type AvailableTransition,
  type DefField,
  type InstanceView,
  processKeys,
  takeTransition,
  useText,
} from './api';

type FieldKind = DefField['type'];

export function fieldKind(name: string, defs: DefField[] | undefined): FieldKind {
  if (name === 'amount' || /amount$/i.test(name)) return 'number';
  return defs?.find((f) => f.key === name)?.type ?? 'text';
}

/** Takes a transition; invalidates what depends on it. Shared by the buttons and the modal. */
export function useTakeTransition(instance: InstanceView) {
  const { t } = useTranslation();
  const text = useText();
  const { message } = App.useApp();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: {
      transition: AvailableTransition;
      fields?: Record<string, unknown>;
      comment?: string;
    }) =>
      takeTransition(instance.id, instance.version, {
        transition: v.transition.key,
        fields: v.fields,
        comment: v.comment,
      }),
    onSuccess: (view, v) => {
      qc.setQueryData(processKeys.instance(instance.id), view);
      void qc.invalidateQueries({ queryKey: processKeys.instances(instance.recordType, instance.recordId) });
      void qc.invalidateQueries({ queryKey: processKeys.approvals });
      void qc.invalidateQueries({ queryKey: ['customers', 'timeline', instance.recordId] });
      const name = text(v.transition.name, v.transition.key);
      message.success(
        view.pendingTransition
          ? t('processes.instances.approvalRequested', { transition: name })
          : t('processes.instances.transitioned', { transition: name }),
      );
    },
    onError: (e) => {
      if (isApiError(e, 412)) {
        message.warning(t('processes.instances.stale'));
        void qc.invalidateQueries({ queryKey: processKeys.instance(instance.id) });
      }
    },
  });
}

/** Required fields (one input each) and a comment for a transition; 422 field errors show inline. */
export function TransitionModal({
  instance,
  transition,
  fields,
  onClose,
}: {
  instance: InstanceView;
  transition: AvailableTransition | null;
  fields: DefField[] | undefined;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const text = useText();
  const [form] = Form.useForm();
  const take = useTakeTransition(instance);
  const [leftover, setLeftover] = useState<Record<string, string>>({});
  const required = transition?.requiredFields ?? [];

  const label = (name: string) => text(fields?.find((f) => f.key === name)?.label, name);

  const onFinish = (v: { fields?: Record<string, unknown>; comment?: string }) => {
    if (!transition) return;
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(v.fields ?? {})) {
      if (val === undefined || val === null || val === '') continue;
      out[k] = val && typeof (val as Dayjs).format === 'function' ? (val as Dayjs).format('YYYY-MM-DD') : val;
    }
    setLeftover({});
    take.mutate(
      {
        transition,
        fields: Object.keys(out).length ? out : undefined,
        comment: v.comment?.trim() || undefined,
      },
      {
        onSuccess: () => onClose(),
        onError: (e) => {
          if (isApiError(e, 422))
            setLeftover(applyFieldErrors(form, e, new Set(required.map((f) => `fields.${f}`))));
          else if (isApiError(e, 412)) onClose();
        },
      },
    );
  };

  return (
    <Modal
      open={transition !== null}
      title={transition ? text(transition.name, transition.key) : ''}
      okText={t('common.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={take.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'transition-submit' } as Record<string, string>}
      afterClose={() => {
        form.resetFields();
        take.reset();
        setLeftover({});
      }}
      forceRender
    >
      {transition?.needsApproval && (
        <Alert
          type="info"
          showIcon
          title={t('processes.instances.approvalNote')}
          style={{ marginBottom: 12 }}
        />
      )}
      {take.isError && !isApiError(take.error, 422) && !isApiError(take.error, 412) && (
        <Alert type="error" showIcon title={errorText(take.error, t)} style={{ marginBottom: 12 }} />
      )}
      {Object.entries(leftover).map(([k, v]) => (
        <Alert key={k} type="error" showIcon title={`${k}: ${v}`} style={{ marginBottom: 8 }} />
      ))}
      <Form form={form} layout="vertical" name="transition" onFinish={onFinish}>
        {required.map((name) => {
          const kind = fieldKind(name, fields);
          return (
            <Form.Item
              key={name}
              name={['fields', name]}
              label={label(name)}
              required
              valuePropName={kind === 'boolean' ? 'checked' : 'value'}
            >
              {kind === 'number' ? (
                <InputNumber style={{ width: '100%' }} data-testid={`transition-field-${name}`} />
              ) : kind === 'date' ? (
                <DatePicker style={{ width: '100%' }} data-testid={`transition-field-${name}`} />
              ) : kind === 'boolean' ? (
                <Switch data-testid={`transition-field-${name}`} />
              ) : (
                <Input data-testid={`transition-field-${name}`} maxLength={2000} />
              )}
            </Form.Item>
          );
        })}
        <Form.Item name="comment" label={t('processes.instances.comment')}>
          <Input.TextArea autoSize={{ minRows: 2 }} maxLength={4000} data-testid="transition-comment" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
