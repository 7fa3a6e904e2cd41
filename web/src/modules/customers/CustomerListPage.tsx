import { DownloadOutlined, PlusOutlined, UploadOutlined, UserSwitchOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Space, Table, type TableProps, Tag, Typography } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { Customer } from '../../api/types';
import { errorText } from '../../ui/errors';
import { useFormatters } from '../../ui/format';
import { useCan } from '../auth/session';
import { AssignModal } from './AssignModal';
import { type CustomerFilter, type CustomerSort, customerKeys, exportUrl, listCustomers } from './api';
import { CustomerFilters } from './CustomerFilters';
import { CustomerFormModal } from './form/CustomerFormModal';

const PAGE_SIZE = 20;

function sortOrderOf(sort: CustomerSort, field: string): 'ascend' | 'descend' | null {
  if (sort === field) return 'ascend';
  if (sort === `-${field}`) return 'descend';
  return null;
}

export default function CustomerListPage() {
  const { t, i18n } = useTranslation();
  const fmt = useFormatters();
  const can = useCan();
  const navigate = useNavigate();
  const [filter, setFilter] = useState<CustomerFilter>({});
  const [sort, setSort] = useState<CustomerSort>('-createdAt');
  // Cursor pagination: the cursors of the pages we came through, so "previous" can go back.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1];
  const [selected, setSelected] = useState<string[]>([]);
  const [assignOpen, setAssignOpen] = useState(false);
  const [createOpen, setCreateOpen] = useState(false);

  const query = useQuery({
    queryKey: customerKeys.list(filter, sort, cursor),
    queryFn: () => listCustomers(filter, sort, cursor, PAGE_SIZE),
    placeholderData: keepPreviousData,
  });
  // The total comes with the first page only (counted up to a cap); later pages show the first page's figure.
  const firstPage = useQuery({
    queryKey: customerKeys.list(filter, sort, null),
    queryFn: () => listCustomers(filter, sort, null, PAGE_SIZE),
    placeholderData: keepPreviousData,
  });
  const total = firstPage.data?.total ?? 0;
  const totalText = firstPage.data?.totalCapped
    ? t('common.totalCapped', { n: new Intl.NumberFormat(i18n.language).format(total) })
    : t('common.total', { count: total });

  const resetPaging = () => {
    setCursors([null]);
    setSelected([]);
  };
  const canAssign = can('customer.assign');
  const showOwner = canAssign || can('customer.scope.all');

  const columns: TableProps<Customer>['columns'] = [
    {
      title: t('customer.fields.name'),
      dataIndex: 'name',
      sorter: true,
      sortOrder: sortOrderOf(sort, 'name'),
      render: (_, c) => <Link to={`/customers/${c.id}`}>{c.name}</Link>,
    },
    {
      title: t('customer.fields.kind'),
      dataIndex: 'kind',
      width: 90,
      render: (k: Customer['kind']) => (
        <Tag color={k === 'company' ? 'geekblue' : 'green'}>{t(`customer.kind.${k}`)}</Tag>
      ),
    },
    {
      title: t('customer.fields.mobile'),
      dataIndex: 'mobile',
      render: (v: string | null) => v ?? t('common.none'),
    },
    {
      title: t('customer.fields.memberLevel'),
      dataIndex: 'memberLevel',
      render: (v) => v ?? t('common.none'),
    },
    {
      title: t('customer.fields.sourceChannel'),
      dataIndex: 'sourceChannel',
      render: (v) => v ?? t('common.none'),
    },
    {
      title: t('customer.fields.owner'),
      dataIndex: 'owner',
      render: (_, c) => c.owner?.name ?? t('common.none'),
    },
    {
      title: t('customer.fields.tags'),
      dataIndex: 'tags',
      render: (tags: string[]) => (
        <Space size={[0, 4]} wrap>
          {tags.map((tag) => (
            <Tag key={tag}>{tag}</Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('customer.fields.createdAt'),
      dataIndex: 'createdAt',
      sorter: true,
      sortOrder: sortOrderOf(sort, 'createdAt'),
      render: (v: string) => fmt.dateTime(v),
    },
    {
      title: t('customer.fields.updatedAt'),
      dataIndex: 'updatedAt',
      sorter: true,
      sortOrder: sortOrderOf(sort, 'updatedAt'),
      render: (v: string) => fmt.dateTime(v),
    },
  ];

  const onTableChange: TableProps<Customer>['onChange'] = (_p, _f, sorter) => {
    const s = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<Customer> | undefined;
    const field = typeof s?.field === 'string' ? s.field : undefined;
    const next: CustomerSort =
      field && s?.order ? ((s.order === 'descend' ? `-${field}` : field) as CustomerSort) : '-createdAt';
    setSort(next);
    resetPaging();
  };

  const download = (format: 'csv' | 'xlsx') => {
    window.location.assign(exportUrl(format, filter, sort));
  };

  const data = query.data;
  return (
    <Card
      title={t('customer.list.title')}
      extra={
        <Space wrap>
          {can('customer.create') && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreateOpen(true)}
              data-testid="new-customer"
            >
              {t('customer.list.new')}
            </Button>
          )}
          {can('customer.import') && (
            <Button icon={<UploadOutlined />} onClick={() => navigate('/customers/import')}>
              {t('customer.list.import')}
            </Button>
          )}
          {can('customer.export') && (
            <>
              <Button icon={<DownloadOutlined />} onClick={() => download('csv')}>
                {t('customer.list.exportCsv')}
              </Button>
              <Button icon={<DownloadOutlined />} onClick={() => download('xlsx')}>
                {t('customer.list.exportXlsx')}
              </Button>
            </>
          )}
        </Space>
      }
    >
      <CustomerFilters
        value={filter}
        showOwner={showOwner}
        onChange={(f) => {
          setFilter(f);
          resetPaging();
        }}
      />
      {query.isError && (
        <Alert type="error" showIcon title={errorText(query.error, t)} style={{ marginBottom: 16 }} />
      )}
      {canAssign && selected.length > 0 && (
        <Alert
          type="info"
          style={{ marginBottom: 12 }}
          title={
            <Flex align="center" gap={12}>
              <span>{t('customer.list.selected', { count: selected.length })}</span>
              <Button
                size="small"
                type="primary"
                icon={<UserSwitchOutlined />}
                onClick={() => setAssignOpen(true)}
              >
                {t('customer.list.assign')}
              </Button>
            </Flex>
          }
        />
      )}
      <Table<Customer>
        rowKey="id"
        size="middle"
        data-testid="customer-table"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={query.isFetching}
        pagination={false}
        onChange={onTableChange}
        locale={{ emptyText: t('customer.list.empty') }}
        rowSelection={
          canAssign
            ? {
                selectedRowKeys: selected,
                onChange: (keys) => setSelected(keys.map(String)),
                preserveSelectedRowKeys: true,
              }
            : undefined
        }
        scroll={{ x: 'max-content' }}
      />
      <Flex justify="space-between" align="center" style={{ marginTop: 16 }}>
        <Typography.Text type="secondary" data-testid="customer-total">
          {totalText}
        </Typography.Text>
        <Space>
          <Button disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
            {t('common.prev')}
          </Button>
          <Button
            disabled={!data?.nextCursor}
            onClick={() => data?.nextCursor && setCursors((c) => [...c, data.nextCursor])}
          >
            {t('common.next')}
          </Button>
        </Space>
      </Flex>
      <AssignModal
        open={assignOpen}
        customerIds={selected}
        onClose={(done) => {
          setAssignOpen(false);
          if (done) setSelected([]);
        }}
      />
      <CustomerFormModal
        open={createOpen}
        onClose={() => setCreateOpen(false)}
        onSaved={(c) => navigate(`/customers/${c.id}`)}
      />
    </Card>
  );
}
