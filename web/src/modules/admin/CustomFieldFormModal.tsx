import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Col, Form, Input, InputNumber, Modal, Row, Select, Space, Switch } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import type { CustomField, CustomFieldType, LocalizedText } from '../../api/types';
import { errorText } from '../../ui/errors';
import { createCustomField, updateCustomField } from './api';
import { useSave } from './useSave';

const TYPES: CustomFieldType[] = ['text', 'number', 'date', 'select', 'multi_select'];

interface Values {
  key: string;
  label: LocalizedText;
  type: CustomFieldType;
  options?: Array<{ value: string; label: LocalizedText }>;
  required: boolean;
  position?: number;
}

export function CustomFieldFormModal({
  open,
  field,
  onClose,
}: {
  open: boolean;
  field?: CustomField;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const type = Form.useWatch('type', form);
  const hasOptions = type === 'select' || type === 'multi_select';

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(
      field
        ? {
            key: field.key,
            label: field.label,
            type: field.type,
            options: field.options,
            required: field.required,
            position: field.position,
          }
        : { type: 'text', required: false, options: [] },
    );
  }, [open, field, form]);

  const save = useSave<Values>({
    form,
    listKey: 'custom-fields',
    fields: [
      'key',
      'label',
      'label.zh-CN',
      'label.en',
      'label.es',
      'type',
      'options',
      'required',
      'position',
    ],
    onDone: onClose,
    save: (v) => {
      const body = {
        label: v.label,
        required: Boolean(v.required),
        options: hasOptions ? (v.options ?? []) : [],
        ...(v.position !== undefined && v.position !== null ? { position: v.position } : {}),
      };
      if (field) return updateCustomField(field.id, body);
      return createCustomField({ ...body, entity: 'customer', key: v.key.trim(), type: v.type });
    },
  });
  const general = save.error && !(save.error instanceof ApiError && Object.keys(save.error.fields).length);

  return (
    <Modal
      open={open}
      width={720}
      title={field ? t('admin.fields.edit') : t('admin.fields.new')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      forceRender
    >
      {general && (
        <Alert type="error" showIcon title={errorText(save.error, t)} style={{ marginBottom: 12 }} />
      )}
      <Form form={form} name="customField" layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name="key"
              label={t('admin.fields.key')}
              extra={t('admin.fields.keyHint')}
              rules={[{ required: true, pattern: /^[a-z][a-z0-9_]*$/ }]}
            >
              <Input disabled={Boolean(field)} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="type" label={t('admin.fields.type')} rules={[{ required: true }]}>
              <Select
                disabled={Boolean(field)}
                options={TYPES.map((x) => ({ value: x, label: t(`admin.fields.types.${x}`) }))}
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name={['label', 'zh-CN']}
              label={t('admin.fields.labelZh')}
              rules={[{ required: true, whitespace: true }]}
            >
              <Input />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name={['label', 'en']} label={t('admin.fields.labelEn')}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name={['label', 'es']} label={t('admin.fields.labelEs')}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="required" label={t('admin.fields.required')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="position" label={t('admin.fields.position')}>
              <InputNumber min={0} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        {hasOptions && (
          <Form.List name="options">
            {(items, { add, remove }) => (
              <>
                {items.map(({ key, name }) => (
                  <Space key={key} align="baseline" wrap>
                    <Form.Item name={[name, 'value']} rules={[{ required: true, whitespace: true }]}>
                      <Input placeholder={t('admin.fields.optionValue')} style={{ width: 120 }} />
                    </Form.Item>
                    <Form.Item name={[name, 'label', 'zh-CN']} rules={[{ required: true, whitespace: true }]}>
                      <Input placeholder={t('admin.fields.labelZh')} style={{ width: 140 }} />
                    </Form.Item>
                    <Form.Item name={[name, 'label', 'en']}>
                      <Input placeholder={t('admin.fields.labelEn')} style={{ width: 140 }} />
                    </Form.Item>
                    <Form.Item name={[name, 'label', 'es']}>
                      <Input placeholder={t('admin.fields.labelEs')} style={{ width: 140 }} />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(name)} aria-label={t('common.delete')} />
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ value: '', label: {} })}>
                  {t('admin.fields.addOption')}
                </Button>
              </>
            )}
          </Form.List>
        )}
      </Form>
    </Modal>
  );
}
