import { Col, DatePicker, Divider, Form, Input, InputNumber, Radio, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CustomField } from '../../../api/types';
import { CustomFieldItem } from './CustomFieldInput';

function Text({ name, wide, area }: { name: string; wide?: boolean; area?: boolean }) {
  const { t } = useTranslation();
  return (
    <Col xs={24} md={wide ? 24 : 12}>
      <Form.Item name={name} label={t(`customer.fields.${name}` as 'customer.fields.name')}>
        {area ? <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} /> : <Input allowClear />}
      </Form.Item>
    </Col>
  );
}

/** The server's cap on a customer's notes (customers.schemas.ts). */
const NOTES_MAX = 2000;

/** The standard customer fields plus the org's custom fields, in three sections. */
export function CustomerFormFields({ customFields }: { customFields: CustomField[] }) {
  const { t } = useTranslation();
  return (
    <>
      <Divider titlePlacement="start" plain>
        {t('customer.form.basic')}
      </Divider>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="kind" label={t('customer.fields.kind')} rules={[{ required: true }]}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'person', label: t('customer.kind.person') },
                { value: 'company', label: t('customer.kind.company') },
              ]}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="name"
            label={t('customer.fields.name')}
            rules={[
              {
                required: true,
                whitespace: true,
                message: `${t('customer.fields.name')}: ${t('common.required')}`,
              },
            ]}
          >
            <Input allowClear data-testid="customer-name" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="mobile" label={t('customer.fields.mobile')} extra={t('customer.form.mobileHint')}>
            <Input allowClear inputMode="tel" data-testid="customer-mobile" />
          </Form.Item>
        </Col>
        <Text name="email" />
        <Text name="phone" />
        <Text name="address" />
        <Text name="personInCharge" />
        <Text name="contactPerson" />
        <Text name="position" />
      </Row>
      <Divider titlePlacement="start" plain>
        {t('customer.form.personal')}
      </Divider>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="gender" label={t('customer.fields.gender')}>
            <Select
              allowClear
              placeholder={t('customer.form.selectPlaceholder')}
              options={(['male', 'female', 'other'] as const).map((g) => ({
                value: g,
                label: t(`customer.gender.${g}`),
              }))}
            />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="birthday" label={t('customer.fields.birthday')}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="age" label={t('customer.fields.age')}>
            <InputNumber min={0} max={150} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Text name="bestContactTime" />
        <Text name="hobbies" />
        <Text name="familyNotes" wide area />
      </Row>
      <Divider titlePlacement="start" plain>
        {t('customer.form.business')}
      </Divider>
      <Row gutter={16}>
        <Text name="sourceChannel" />
        <Text name="memberLevel" />
        <Col xs={24}>
          <Form.Item name="tags" label={t('customer.fields.tags')}>
            <Select
              mode="tags"
              tokenSeparators={[',', '，', '、']}
              placeholder={t('customer.form.tagsPlaceholder')}
              open={false}
              suffixIcon={null}
            />
          </Form.Item>
        </Col>
        <Col xs={24}>
          <Form.Item name="notes" label={t('customer.fields.notes')}>
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={NOTES_MAX} showCount />
          </Form.Item>
        </Col>
      </Row>
      {customFields.length > 0 && (
        <>
          <Divider titlePlacement="start" plain>
            {t('customer.form.customSection')}
          </Divider>
          <Row gutter={16}>
            {customFields.map((d) => (
              <Col xs={24} md={12} key={d.id}>
                <CustomFieldItem def={d} />
              </Col>
            ))}
          </Row>
        </>
      )}
    </>
  );
}
