import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { isApiError } from '../../api/client';
import { applyFieldErrors, errorText } from '../../ui/errors';
import {
  createDefinition,
  getDefinition,
  type ProcessSummary,
  processKeys,
  useText,
  versionDefinition,
} from './api';

interface Values {
  template: string;
  key: string;
  name: string;
}

const KEY = /^[a-z][a-z0-9_]{0,62}$/;

/** Starts a new process from a copy of an existing one (a built-in template or any other definition). */
export function NewProcessModal({
  open,
  templates,
  onClose,
}: {
  open: boolean;
  templates: ProcessSummary[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const text = useText();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [leftover, setLeftover] = useState<Record<string, string>>({});

  const create = useMutation({
    mutationFn: async (v: Values) => {
      const tpl = templates.find((x) => x.key === v.template);
      if (!tpl) throw new Error('template');
      const source =
        tpl.currentVersion !== null
          ? versionDefinition((await getDefinition(tpl.key)).detail, tpl.currentVersion)
          : tpl.draft;
      const copy = structuredClone(source ?? tpl.draft);
      return createDefinition({ ...copy, key: v.key, name: v.name.trim() });
    },
    onSuccess: (d) => {
      message.success(t('processes.create.created'));
      void qc.invalidateQueries({ queryKey: processKeys.definitions });
      onClose();
      navigate(`/admin/processes/${encodeURIComponent(d.key)}?tab=editor`);
    },
    onError: (e) => {
      if (isApiError(e, 422) || isApiError(e, 409))
        setLeftover(applyFieldErrors(form, e, new Set(['key', 'name'])));
    },
  });

  return (
    <Modal
      open={open}
      title={t('processes.create.title')}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'new-process-ok' } as Record<string, string>}
      afterOpenChange={(o) => {
        const first = templates[0];
        if (o && first && !form.getFieldValue('template')) form.setFieldValue('template', first.key);
        if (o && first && !form.getFieldValue('name'))
          form.setFieldValue('name', text(first.draft?.name, first.key));
      }}
      afterClose={() => {
        form.resetFields();
        create.reset();
        setLeftover({});
      }}
      forceRender
    >
      {create.isError && !Object.keys(leftover).length && !isApiError(create.error, 422) && (
        <Alert type="error" showIcon title={errorText(create.error, t)} style={{ marginBottom: 12 }} />
      )}
      {Object.entries(leftover).map(([k, v]) => (
        <Alert key={k} type="error" showIcon title={`${k}: ${v}`} style={{ marginBottom: 8 }} />
      ))}
      <Form<Values>
        form={form}
        layout="vertical"
        name="newProcess"
        onFinish={(v) => {
          setLeftover({});
          create.mutate(v);
        }}
        onValuesChange={(changed: Partial<Values>) => {
          if (changed.template) {
            const tpl = templates.find((x) => x.key === changed.template);
            if (tpl && !form.getFieldValue('name'))
              form.setFieldValue('name', text(tpl.draft?.name, tpl.key));
          }
        }}
      >
        <Form.Item
          name="template"
          label={t('processes.create.template')}
          extra={t('processes.create.templateHelp')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Select
            data-testid="new-process-template"
            options={templates.map((x) => ({
              value: x.key,
              label: `${text(x.draft?.name, x.key)} (${x.key})`,
            }))}
          />
        </Form.Item>
        <Form.Item
          name="key"
          label={t('processes.create.key')}
          extra={t('processes.create.keyHelp')}
          rules={[
            { required: true, message: t('common.required') },
            { pattern: KEY, message: t('processes.create.keyPattern') },
          ]}
        >
          <Input data-testid="new-process-key" maxLength={63} placeholder="my_process" />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('processes.create.name')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input data-testid="new-process-name" maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
