import { ArrowLeftOutlined, EditOutlined, PhoneOutlined } from '@ant-design/icons';
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
import { NewTaskModal } from '../tasks/NewTaskModal';
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
  const [taskOpen, setTaskOpen] = useState(false);
  const query = useQuery({ queryKey: customerKeys.one(id), queryFn: () => getCustomer(id) });
  // A merged record is read-only: it names the survivor and links to it.
  const mergedInto = query.data?.customer.mergedIntoId ?? null;
  const survivor = useQuery({
    queryKey: customerKeys.one(mergedInto ?? ''),
    queryFn: () => getCustomer(mergedInto ?? ''),
    enabled: Boolean(mergedInto),
  });

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
  const readOnly = customer.status !== 'active';

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
          {!readOnly && (
            <Space wrap>
              <Button
                icon={<PhoneOutlined />}
                onClick={() => setTaskOpen(true)}
                data-testid="customer-new-task"
              >
                {t('dayOne.task.newTask')}
              </Button>
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
            </Space>
          )}
        </Flex>
        {customer.mergedIntoId && (
          <Alert
            type="warning"
            showIcon
            data-testid="merged-banner"
            style={{ marginTop: 12 }}
            title={
              <span>
                {t('dayOne.merge.bannerPrefix')}{' '}
                <Link to={`/customers/${customer.mergedIntoId}`} data-testid="merged-survivor-link">
                  {survivor.data?.customer.name ?? t('customer.detail.merged')}
                </Link>
                {t('dayOne.merge.bannerSuffix')}
              </span>
            }
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
            {can('activity.create') && !readOnly && <ActivityForm customerId={customer.id} />}
            <CustomerTimeline customerId={customer.id} />
          </Space>
        </Col>
      </Row>
      {!readOnly && (
        <CustomerFormModal
          open={editOpen}
          customer={customer}
          etag={etag}
          onClose={() => setEditOpen(false)}
        />
      )}
      <NewTaskModal
        open={taskOpen}
        onClose={() => setTaskOpen(false)}
        preset={{ kind: 'call_back', related: { id: customer.id, name: customer.name } }}
      />
    </Space>
  );
}
