import { Button, Form, Input, Select } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useDirectory } from '../../api/directory';
import type { CustomerFilter } from './api';

interface Props {
  value: CustomerFilter;
  onChange: (f: CustomerFilter) => void;
  showOwner: boolean;
}

function clean(f: CustomerFilter): CustomerFilter {
  const out: CustomerFilter = {};
  for (const [k, v] of Object.entries(f) as [keyof CustomerFilter, string | undefined][]) {
    const s = typeof v === 'string' ? v.trim() : v;
    if (s) (out as Record<string, string>)[k] = s;
  }
  return out;
}

export function CustomerFilters({ value, onChange, showOwner }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<CustomerFilter>();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const users = useDirectory(showOwner);

  useEffect(() => () => clearTimeout(timer.current), []);

  const commit = (immediate = false) => {
    clearTimeout(timer.current);
    const run = () => onChange(clean(form.getFieldsValue()));
    if (immediate) run();
    else timer.current = setTimeout(run, 350);
  };

  return (
    <Form
      name="customerFilter"
      form={form}
      layout="inline"
      initialValues={value}
      onValuesChange={() => commit()}
      onFinish={() => commit(true)}
      style={{ rowGap: 12, marginBottom: 16 }}
    >
      <Form.Item name="q">
        <Input.Search
          allowClear
          placeholder={t('customer.list.searchPlaceholder')}
          aria-label={t('customer.list.searchPlaceholder')}
          data-testid="customer-search"
          onSearch={() => commit(true)}
          style={{ width: 240 }}
        />
      </Form.Item>
      <Form.Item name="kind">
        <Select
          allowClear
          placeholder={t('customer.list.kindPlaceholder')}
          style={{ width: 130 }}
          options={[
            { value: 'person', label: t('customer.kind.person') },
            { value: 'company', label: t('customer.kind.company') },
          ]}
        />
      </Form.Item>
      <Form.Item name="memberLevel">
        <Input allowClear placeholder={t('customer.list.memberLevelPlaceholder')} style={{ width: 130 }} />
      </Form.Item>
      <Form.Item name="sourceChannel">
        <Input allowClear placeholder={t('customer.list.sourceChannelPlaceholder')} style={{ width: 130 }} />
      </Form.Item>
      {showOwner && !users.isError && (
        <Form.Item name="ownerId">
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('customer.list.ownerAny')}
            style={{ width: 160 }}
            loading={users.isLoading}
            options={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
          />
        </Form.Item>
      )}
      <Form.Item name="tag">
        <Input allowClear placeholder={t('customer.list.tagPlaceholder')} style={{ width: 120 }} />
      </Form.Item>
      <Form.Item>
        <Button
          onClick={() => {
            form.resetFields();
            form.setFieldsValue({
              q: undefined,
              kind: undefined,
              memberLevel: undefined,
              sourceChannel: undefined,
              ownerId: undefined,
              tag: undefined,
            });
            commit(true);
          }}
        >
          {t('common.reset')}
        </Button>
      </Form.Item>
    </Form>
  );
}
