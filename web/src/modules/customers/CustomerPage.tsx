import { ArrowLeftOutlined, EditOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Flex, Result, Row, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { errorText } from '../../ui/errors';
import { PageLoading } from '../../ui/PageLoading';
import { useCan } from '../auth/session';
import { RecordWorkCard } from '../records/RecordWorkCard';
import { customerKeys, getCustomer } from './api';
import { ActivityForm } from './detail/ActivityForm';
import { ContactsCard } from './detail/ContactsCard';
import { CustomerProfile } from './detail/CustomerProfile';
import { CustomerTimeline } from './detail/CustomerTimeline';
import { CustomerFormModal } from './form/CustomerFormModal';

export default function CustomerPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const can = useCan();
  const [editOpen, setEditOpen] = useState(false);
  const query = useQuery({ queryKey: customerKeys.one(id), queryFn: () => getCustomer(id) });

  if (query.isPending) return <PageLoading />;
  if (query.isError) {
    if (isApiError(query.error, 404))
      return (
        <Result
          status="404"
          title="404"
          subTitle={t('common.notFound')}
          extra={
            <Link to="/customers">
              <Button>{t('common.back')}</Button>
            </Link>
          }
        />
      );
    return <Alert type="error" showIcon title={errorText(query.error, t)} />;
  }
  const { customer, etag } = query.data;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <Flex justify="space-between" align="center" wrap gap={12}>
          <Space size={12} align="center">
            <Link to="/customers">
              <Button type="text" icon={<ArrowLeftOutlined />} aria-label={t('common.back')} />
            </Link>
            <Typography.Title level={3} style={{ margin: 0 }} data-testid="customer-title">
              {customer.name}
            </Typography.Title>
            <Tag color={customer.kind === 'company' ? 'geekblue' : 'green'}>
              {t(`customer.kind.${customer.kind}`)}
            </Tag>
            {customer.memberLevel && <Tag color="gold">{customer.memberLevel}</Tag>}
          </Space>
          {can('customer.update') && (
            <Button
              type="primary"
              icon={<EditOutlined />}
              onClick={() => setEditOpen(true)}
              data-testid="edit-customer"
            >
              {t('common.edit')}
            </Button>
          )}
        </Flex>
        {customer.mergedIntoId && (
          <Alert
            type="warning"
            showIcon
            style={{ marginTop: 12 }}
            title={<Link to={`/customers/${customer.mergedIntoId}`}>{t('customer.detail.merged')}</Link>}
          />
        )}
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <CustomerProfile customer={customer} />
            {customer.kind === 'company' && <ContactsCard customerId={customer.id} />}
          </Space>
        </Col>
        <Col xs={24} xl={10}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <RecordWorkCard recordType="customer" recordId={customer.id} />
            {can('activity.create') && <ActivityForm customerId={customer.id} />}
            <CustomerTimeline customerId={customer.id} />
          </Space>
        </Col>
      </Row>
      <CustomerFormModal open={editOpen} customer={customer} etag={etag} onClose={() => setEditOpen(false)} />
    </Space>
  );
}
