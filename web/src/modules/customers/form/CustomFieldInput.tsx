import { DatePicker, Form, Input, InputNumber, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CustomField } from '../../../api/types';
import { currentLocale, pickLabel } from '../../../i18n';

/** One org-defined field, rendered by its type, bound to `custom.<key>`. */
export function CustomFieldItem({ def }: { def: CustomField }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const label = pickLabel(def.label, locale, def.key);
  const options = (def.options ?? []).map((o) => ({
    value: o.value,
    label: pickLabel(o.label, locale, o.value),
  }));
  const rules = def.required ? [{ required: true, message: `${label}: ${t('common.required')}` }] : [];
  let input: React.ReactNode;
  switch (def.type) {
    case 'number':
      input = <InputNumber style={{ width: '100%' }} />;
      break;
    case 'date':
      input = <DatePicker style={{ width: '100%' }} />;
      break;
    case 'select':
      input = <Select allowClear options={options} placeholder={t('customer.form.selectPlaceholder')} />;
      break;
    case 'multi_select':
      input = (
        <Select
          mode="multiple"
          allowClear
          options={options}
          placeholder={t('customer.form.selectPlaceholder')}
        />
      );
      break;
    default:
      input = <Input />;
  }
  return (
    <Form.Item name={['custom', def.key]} label={label} rules={rules}>
      {input}
    </Form.Item>
  );
}
