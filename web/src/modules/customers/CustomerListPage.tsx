import {
  DownloadOutlined,
  MergeCellsOutlined,
  PlusOutlined,
  SettingOutlined,
  UploadOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Flex,
  Popover,
  Select,
  Space,
  Table,
  type TableProps,
  Tag,
  Typography,
} from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { Customer } from '../../api/types';
import { errorText } from '../../ui/errors';
import { useFormatters } from '../../ui/format';
import { useCan, useSession } from '../auth/session';
import { AssignModal } from './AssignModal';
import {
  type CustomerFilter,
  type CustomerSort,
  customerKeys,
  exportUrl,
  getCustomer,
  listCustomers,
  type MergeField,
  mergeCustomers,
} from './api';
import { CustomerFilters } from './CustomerFilters';
import { CustomerFormModal } from './form/CustomerFormModal';
import { MergeModal } from './MergeModal';

const PAGE_SIZES = [20, 50, 100, 200];
const COLUMN_KEYS = [
  'name',
  'kind',
  'mobile',
  'memberLevel',
  'sourceChannel',
  'owner',
  'tags',
  'createdAt',
  'updatedAt',
] as const;
type ColumnKey = (typeof COLUMN_KEYS)[number];
/** Shown until the user chooses: fits 1440 px without a horizontal scroll. */
const DEFAULT_COLUMNS: ColumnKey[] = ['name', 'kind', 'mobile', 'memberLevel', 'owner', 'tags', 'createdAt'];

/** A per-user setting of this page, kept in the browser (localStorage). */
function useStored<T>(key: string, fallback: T, valid: (v: unknown) => v is T): [T, (v: T) => void] {
  const [value, setValue] = useState<T>(() => {
    try {
      const raw = window.localStorage.getItem(key);
      const parsed: unknown = raw ? JSON.parse(raw) : undefined;
      return valid(parsed) ? parsed : fallback;
    } catch {
      return fallback;
    }
  });
  const set = (v: T) => {
    setValue(v);
    try {
      window.localStorage.setItem(key, JSON.stringify(v));
    } catch {
      // Private mode or full storage: the choice lasts for this visit.
    }
  };
  return [value, set];
}
const isColumns = (v: unknown): v is ColumnKey[] =>
  Array.isArray(v) && v.every((x) => (COLUMN_KEYS as readonly string[]).includes(x)) && v.includes('name');
const isPageSize = (v: unknown): v is number => typeof v === 'number' && PAGE_SIZES.includes(v);

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
  const session = useSession();
  const [pageSize, setPageSize] = useStored(`kept.customers.pageSize.${session.user.id}`, 20, isPageSize);
  const [shownColumns, setShownColumns] = useStored(
    `kept.customers.columns.${session.user.id}`,
    DEFAULT_COLUMNS,
    isColumns,
  );

  const query = useQuery({
    queryKey: [...customerKeys.list(filter, sort, cursor), pageSize],
    queryFn: () => listCustomers(filter, sort, cursor, pageSize),
    placeholderData: keepPreviousData,
  });
  // The total comes with the first page only (counted up to a cap); later pages show the first page's figure.
  const firstPage = useQuery({
    queryKey: [...customerKeys.list(filter, sort, null), pageSize],
    queryFn: () => listCustomers(filter, sort, null, pageSize),
    placeholderData: keepPreviousData,
  });

  // Merge two selected customers: the first selected survives unless swapped.
  const { message } = App.useApp();
  const qc = useQueryClient();
  const canMerge = can('customer.merge');
  const [mergePair, setMergePair] = useState<[string, string] | null>(null);
  const pair = useQuery({
    queryKey: ['customers', 'merge-pair', mergePair],
    queryFn: async () => {
      const [a, b] = mergePair ?? ['', ''];
      return Promise.all([getCustomer(a), getCustomer(b)]);
    },
    enabled: Boolean(mergePair),
  });
  const merge = useMutation({
    mutationFn: (take: MergeField[]) => {
      if (!mergePair) throw new Error('nothing to merge');
      return mergeCustomers(mergePair[0], mergePair[1], take);
    },
    onSuccess: (survivor) => {
      message.success(t('dayOne.merge.done'));
      setMergePair(null);
      setSelected([]);
      void qc.invalidateQueries({ queryKey: ['customers'] });
      navigate(`/customers/${survivor.id}`);
    },
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

  const allColumns: NonNullable<TableProps<Customer>['columns']> = [
    {
      key: 'name',
      title: t('customer.fields.name'),
      dataIndex: 'name',
      sorter: true,
      sortOrder: sortOrderOf(sort, 'name'),
      render: (_, c) => <Link to={`/customers/${c.id}`}>{c.name}</Link>,
    },
    {
      key: 'kind',
      title: t('customer.fields.kind'),
      dataIndex: 'kind',
      width: 90,
      render: (k: Customer['kind']) => (
        <Tag color={k === 'company' ? 'geekblue' : 'green'}>{t(`customer.kind.${k}`)}</Tag>
      ),
    },
    {
      key: 'mobile',
      title: t('customer.fields.mobile'),
      dataIndex: 'mobile',
      render: (v: string | null) => v ?? t('common.none'),
    },
    {
      key: 'memberLevel',
      title: t('customer.fields.memberLevel'),
      dataIndex: 'memberLevel',
      render: (v) => v ?? t('common.none'),
    },
    {
      key: 'sourceChannel',
      title: t('customer.fields.sourceChannel'),
      dataIndex: 'sourceChannel',
      render: (v) => v ?? t('common.none'),
    },
    {
      key: 'owner',
      title: t('customer.fields.owner'),
      dataIndex: 'owner',
      render: (_, c) => c.owner?.name ?? t('common.none'),
    },
    {
      key: 'tags',
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
      key: 'createdAt',
      title: t('customer.fields.createdAt'),
      dataIndex: 'createdAt',
      sorter: true,
      sortOrder: sortOrderOf(sort, 'createdAt'),
      render: (v: string) => fmt.dateTime(v),
    },
    {
      key: 'updatedAt',
      title: t('customer.fields.updatedAt'),
      dataIndex: 'updatedAt',
      sorter: true,
      sortOrder: sortOrderOf(sort, 'updatedAt'),
      render: (v: string) => fmt.dateTime(v),
    },
  ];
  const columns = allColumns.filter((c) => shownColumns.includes(c.key as ColumnKey));
  const columnSettings = (
    <Space orientation="vertical" data-testid="column-settings">
      <Checkbox.Group
        value={shownColumns}
        onChange={(v) => setShownColumns(COLUMN_KEYS.filter((k) => k === 'name' || v.includes(k)))}
        style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
        options={COLUMN_KEYS.map((k) => ({
          value: k,
          label: t(`customer.fields.${k}`),
          disabled: k === 'name',
        }))}
      />
      <Button size="small" onClick={() => setShownColumns(DEFAULT_COLUMNS)}>
        {t('dayOne.list.resetColumns')}
      </Button>
    </Space>
  );

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
      {(canAssign || canMerge) && selected.length > 0 && (
        <Alert
          type="info"
          style={{ marginBottom: 12 }}
          title={
            <Flex align="center" gap={12} wrap>
              <span>{t('customer.list.selected', { count: selected.length })}</span>
              {canAssign && (
                <Button
                  size="small"
                  type="primary"
                  icon={<UserSwitchOutlined />}
                  onClick={() => setAssignOpen(true)}
                >
                  {t('customer.list.assign')}
                </Button>
              )}
              {canMerge && (
                <Button
                  size="small"
                  icon={<MergeCellsOutlined />}
                  disabled={selected.length !== 2}
                  title={selected.length !== 2 ? t('dayOne.merge.selectTwo') : undefined}
                  onClick={() => {
                    merge.reset();
                    setMergePair([selected[0], selected[1]]);
                  }}
                  data-testid="merge-selected"
                >
                  {t('dayOne.merge.mergeSelected')}
                </Button>
              )}
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
          canAssign || canMerge
            ? {
                selectedRowKeys: selected,
                onChange: (keys) => setSelected(keys.map(String)),
                preserveSelectedRowKeys: true,
              }
            : undefined
        }
        // Wider than the page only when the user shows more columns than the default.
        scroll={shownColumns.length > DEFAULT_COLUMNS.length ? { x: 'max-content' } : undefined}
      />
      <Flex justify="space-between" align="center" style={{ marginTop: 16 }}>
        <Typography.Text type="secondary" data-testid="customer-total">
          {totalText}
        </Typography.Text>
        <Space>
          <Popover content={columnSettings} trigger="click" placement="topRight">
            <Button icon={<SettingOutlined />} data-testid="column-settings-button">
              {t('dayOne.list.columns')}
            </Button>
          </Popover>
          <Select
            value={pageSize}
            style={{ width: 120 }}
            data-testid="page-size"
            onChange={(n) => {
              setPageSize(n);
              resetPaging();
            }}
            options={PAGE_SIZES.map((n) => ({ value: n, label: t('dayOne.list.pageSize', { n }) }))}
          />
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
      <MergeModal
        open={Boolean(mergePair)}
        survivor={pair.data?.[0].customer ?? null}
        other={
          pair.data
            ? {
                label: `${t('dayOne.merge.other')} · ${pair.data[1].customer.name}`,
                values: pair.data[1].customer,
              }
            : null
        }
        loading={merge.isPending || pair.isFetching}
        error={merge.error ?? pair.error}
        onSwap={() => mergePair && setMergePair([mergePair[1], mergePair[0]])}
        onMerge={(take) => merge.mutate(take)}
        onCancel={() => setMergePair(null)}
      />
      <CustomerFormModal
        open={createOpen}
        onClose={() => setCreateOpen(false)}
        onSaved={(c) => navigate(`/customers/${c.id}`)}
      />
    </Card>
  );
}
