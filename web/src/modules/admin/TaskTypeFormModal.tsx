import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Col, Form, Input, Modal, Row, Space, Switch, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import type { LocalizedText } from '../../api/types';
import { applyFieldErrors, errorText } from '../../ui/errors';
import type { TaskType } from '../tasks/api';
import { saveTaskType } from './api';

/** The server's rule for a type key and an outcome code (tasks.routes.ts). */
const KEY_RE = /^[a-z][a-z0-9_]{0,49}$/;
const LANGS = ['zh-CN', 'en', 'es'] as const;
const MAX_OUTCOMES = 30;

type Labels = Record<(typeof LANGS)[number], string>;
interface Values {
  key: string;
  label: Labels;
  active: boolean;
  outcomes?: Array<{ code: string; label: Labels }>;
}

const trimLabels = (l: Partial<Labels> | undefined): Labels => ({
  'zh-CN': (l?.['zh-CN'] ?? '').trim(),
  en: (l?.en ?? '').trim(),
  es: (l?.es ?? '').trim(),
});

/** Fields of the form a 422 may name: the key, the labels, and each outcome's code and labels. */
function shownFields(outcomes: number): Set<string> {
  const out = new Set(['key', 'active', 'outcomes', ...LANGS.map((l) => `label.${l}`)]);
  for (let i = 0; i < outcomes; i++) {
    out.add(`outcomes.${i}.code`);
    for (const l of LANGS) out.add(`outcomes.${i}.label.${l}`);
  }
  return out;
}

export function TaskTypeFormModal({
  open,
  type,
  existingKeys,
  onClose,
}: {
  open: boolean;
  /** The type to edit; none: a new type. */
  type?: TaskType;
  existingKeys: string[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const isGeneral = type?.key === 'general';

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(
      type
        ? {
            key: type.key,
            label: trimLabels(type.label as LocalizedText),
            active: type.active,
            outcomes: type.outcomes.map((o) => ({
              code: o.code,
              label: trimLabels(o.label as LocalizedText),
            })),
          }
        : { key: '', label: { 'zh-CN': '', en: '', es: '' }, active: true, outcomes: [] },
    );
  }, [open, type, form]);

  const save = useMutation({
    mutationFn: (v: Values) =>
      saveTaskType(
        type?.key ?? v.key.trim(),
        {
          label: trimLabels(v.label),
          active: v.active,
          outcomes: isGeneral
            ? []
            : (v.outcomes ?? []).map((o) => ({ code: o.code.trim(), label: trimLabels(o.label) })),
        },
        type?.version ?? 0,
      ),
    onSuccess: () => {
      message.success(t('common.saved'));
      void qc.invalidateQueries({ queryKey: ['task-types'] });
      onClose();
    },
    onError: (e) => {
      const n = (form.getFieldValue('outcomes') as unknown[] | undefined)?.length ?? 0;
      const leftover = Object.values(applyFieldErrors(form, e, shownFields(n)));
      if (leftover.length) message.error(leftover.join(' '));
    },
  });
  const err = save.error;
  const general =
    err && !(err instanceof ApiError && Object.keys(err.fields).length)
      ? err instanceof ApiError && err.status === 412
        ? t('taskTypes.stale')
        : errorText(err, t)
      : null;

  const labelRules = [{ required: true, whitespace: true, max: 100 }];
  return (
    <Modal
      open={open}
      width={920}
      title={type ? t('taskTypes.edit') : t('taskTypes.new')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'task-type-save' } as Record<string, string>}
      forceRender
      destroyOnHidden
    >
      {general && <Alert type="error" showIcon title={general} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        name="taskType"
        layout="vertical"
        onFinish={(v) => {
          save.reset();
          save.mutate(v);
        }}
      >
        <Row gutter={16}>
          <Col span={6}>
            <Form.Item
              name="key"
              label={t('taskTypes.key')}
              extra={type ? undefined : t('taskTypes.keyHint')}
              rules={
                type
                  ? []
                  : [
                      { required: true, whitespace: true },
                      { pattern: KEY_RE, message: t('taskTypes.keyHint') },
                      {
                        validator: (_, v: string) =>
                          existingKeys.includes((v ?? '').trim())
                            ? Promise.reject(new Error(t('taskTypes.keyTaken')))
                            : Promise.resolve(),
                      },
                    ]
              }
            >
              <Input disabled={Boolean(type)} data-testid="task-type-key" />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name={['label', 'zh-CN']} label={t('taskTypes.labelZh')} rules={labelRules}>
              <Input data-testid="task-type-label-zh" />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name={['label', 'en']} label={t('taskTypes.labelEn')} rules={labelRules}>
              <Input data-testid="task-type-label-en" />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name={['label', 'es']} label={t('taskTypes.labelEs')} rules={labelRules}>
              <Input data-testid="task-type-label-es" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="active" label={t('taskTypes.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Typography.Title level={5}>{t('taskTypes.outcomes')}</Typography.Title>
        {isGeneral ? (
          <Typography.Paragraph type="secondary">{t('taskTypes.generalNoCodes')}</Typography.Paragraph>
        ) : (
          <Form.List
            name="outcomes"
            rules={[
              {
                validator: async (_, list?: Array<{ code?: string }>) => {
                  if ((list?.length ?? 0) > MAX_OUTCOMES) throw new Error(`≤ ${MAX_OUTCOMES}`);
                },
              },
            ]}
          >
            {(items, { add, remove, move }, { errors }) => (
              <div data-testid="task-type-outcomes">
                {items.length > 0 && (
                  <Row gutter={8} style={{ marginBottom: 4 }}>
                    <Col span={5}>
                      <Typography.Text type="secondary">{t('taskTypes.code')}</Typography.Text>
                    </Col>
                    {(['codeZh', 'codeEn', 'codeEs'] as const).map((k) => (
                      <Col span={5} key={k}>
                        <Typography.Text type="secondary">{t(`taskTypes.${k}`)}</Typography.Text>
                      </Col>
                    ))}
                  </Row>
                )}
                {items.map(({ key, name }, i) => (
                  <Row gutter={8} key={key} data-testid="task-type-outcome" align="top">
                    <Col span={5}>
                      <Form.Item
                        name={[name, 'code']}
                        dependencies={items
                          .filter((x) => x.name !== name)
                          .map((x) => ['outcomes', x.name, 'code'])}
                        rules={[
                          { required: true, whitespace: true },
                          { pattern: KEY_RE, message: t('taskTypes.keyHint') },
                          {
                            validator: (_, v: string) => {
                              const all = (form.getFieldValue('outcomes') as Values['outcomes']) ?? [];
                              const same = all.filter((o) => (o?.code ?? '').trim() === (v ?? '').trim());
                              return v && same.length > 1
                                ? Promise.reject(new Error(t('taskTypes.codeTaken')))
                                : Promise.resolve();
                            },
                          },
                        ]}
                      >
                        <Input placeholder={t('taskTypes.code')} data-testid="outcome-code" />
                      </Form.Item>
                    </Col>
                    {LANGS.map((l) => (
                      <Col span={5} key={l}>
                        <Form.Item name={[name, 'label', l]} rules={labelRules}>
                          <Input data-testid={`outcome-label-${l}`} />
                        </Form.Item>
                      </Col>
                    ))}
                    <Col span={4}>
                      <Space size={0}>
                        <Button
                          type="text"
                          icon={<ArrowUpOutlined />}
                          disabled={i === 0}
                          onClick={() => move(i, i - 1)}
                          aria-label={t('taskTypes.moveUp')}
                          title={t('taskTypes.moveUp')}
                        />
                        <Button
                          type="text"
                          icon={<ArrowDownOutlined />}
                          disabled={i === items.length - 1}
                          onClick={() => move(i, i + 1)}
                          aria-label={t('taskTypes.moveDown')}
                          title={t('taskTypes.moveDown')}
                        />
                        <Button
                          type="text"
                          danger
                          icon={<DeleteOutlined />}
                          onClick={() => remove(name)}
                          aria-label={t('taskTypes.remove')}
                          title={t('taskTypes.remove')}
                        />
                      </Space>
                    </Col>
                  </Row>
                ))}
                <Form.ErrorList errors={errors} />
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  disabled={items.length >= MAX_OUTCOMES}
                  onClick={() => add({ code: '', label: { 'zh-CN': '', en: '', es: '' } })}
                  data-testid="task-type-add-outcome"
                >
                  {t('taskTypes.addOutcome')}
                </Button>
              </div>
            )}
          </Form.List>
        )}
      </Form>
    </Modal>
  );
}
