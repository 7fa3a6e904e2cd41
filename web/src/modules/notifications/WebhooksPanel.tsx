import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Drawer,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePagedList } from '../../api/paging';
import { applyFieldErrors, errorText } from '../../ui/errors';
import { useFormatters } from '../../ui/format';
import { LoadMore } from '../../ui/LoadMore';
import { useEventTypes } from '../records/api';
import {
  type DeliveryStatus,
  type EndpointInput,
  notificationsApi,
  type WebhookDelivery,
  type WebhookEndpoint,
} from './api';

const KEY = ['webhooks'];
const STATUS_COLOR: Record<DeliveryStatus, string> = {
  pending: 'blue',
  succeeded: 'green',
  failed: 'red',
  refused: 'orange',
};
function Deliveries({ endpoint, onClose }: { endpoint: WebhookEndpoint | null; onClose: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const query = usePagedList(
    [...KEY, endpoint?.id, 'deliveries'],
    notificationsApi.deliveriesPage(endpoint?.id ?? ''),
    { enabled: !!endpoint, refetchInterval: 5000 },
  );
  return (
    <Drawer
      open={!!endpoint}
      onClose={onClose}
      size="large"
      title={`${t('notifications.webhooks.deliveries')} · ${endpoint?.url ?? ''}`}
    >
      <Table<WebhookDelivery>
        rowKey="id"
        size="small"
        loading={query.isLoading}
        dataSource={query.items}
        pagination={false}
        columns={[
          {
            title: t('notifications.webhooks.createdAt'),
            render: (_, d) => fmt.dateTime(d.createdAt),
            width: 160,
          },
          { title: t('notifications.webhooks.event'), dataIndex: 'event' },
          {
            title: t('common.status'),
            render: (_, d) => (
              <Tag color={STATUS_COLOR[d.status]}>{t(`notifications.webhooks.status.${d.status}`)}</Tag>
            ),
          },
          { title: t('notifications.webhooks.attempts'), dataIndex: 'attempts', width: 70 },
          {
            title: t('notifications.webhooks.lastStatus'),
            render: (_, d) => d.lastStatusCode ?? '—',
            width: 80,
          },
          {
            title: t('notifications.webhooks.lastError'),
            render: (_, d) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text type="secondary">{d.lastError ?? ''}</Typography.Text>
                {d.status === 'pending' && d.nextAttemptAt && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('notifications.webhooks.nextAttempt')}: {fmt.dateTime(d.nextAttemptAt)}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
        ]}
      />
      <LoadMore
        hasMore={query.hasNextPage}
        loading={query.isFetchingNextPage}
        onClick={() => void query.fetchNextPage()}
      />
    </Drawer>
  );
}

/** The organization's outbound webhooks (webhook.manage): endpoints, deliveries, the private-target setting. */
export function WebhooksPanel() {
  const { t } = useTranslation();
  const eventTypes = useEventTypes();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<EndpointInput>();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [viewing, setViewing] = useState<WebhookEndpoint | null>(null);
  const list = useQuery({ queryKey: KEY, queryFn: notificationsApi.webhooks });
  const settings = useQuery({ queryKey: [...KEY, 'settings'], queryFn: notificationsApi.settings });
  const refresh = () => void qc.invalidateQueries({ queryKey: KEY });

  const create = useMutation({
    mutationFn: notificationsApi.createWebhook,
    onSuccess: (e) => {
      setCreating(false);
      form.resetFields();
      setSecret(e.secret ?? null);
      refresh();
    },
    onError: (e) => applyFieldErrors(form, e, new Set(['url', 'events', 'description'])),
  });
  const update = useMutation({
    mutationFn: ({
      id,
      patch,
    }: {
      id: string;
      patch: Parameters<typeof notificationsApi.updateWebhook>[1];
    }) => notificationsApi.updateWebhook(id, patch),
    onSuccess: (e) => {
      if (e.secret) setSecret(e.secret);
      else message.success(t('common.saved'));
      refresh();
    },
    onError: (e) => message.error(errorText(e, t)),
  });
  const remove = useMutation({
    mutationFn: notificationsApi.deleteWebhook,
    onSuccess: () => {
      message.success(t('common.deleted'));
      refresh();
    },
    onError: (e) => message.error(errorText(e, t)),
  });
  const test = useMutation({
    mutationFn: notificationsApi.testWebhook,
    onSuccess: () => message.success(t('notifications.webhooks.testQueued')),
    onError: (e) => message.error(errorText(e, t)),
  });
  const saveSettings = useMutation({
    mutationFn: notificationsApi.saveSettings,
    onSuccess: (s) => qc.setQueryData([...KEY, 'settings'], s),
    onError: (e) => message.error(errorText(e, t)),
  });

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" gap={16}>
        <Flex gap={8} align="center">
          <Switch
            checked={settings.data?.allowPrivateTargets ?? false}
            loading={settings.isLoading || saveSettings.isPending}
            onChange={(v) => saveSettings.mutate(v)}
          />
          <Typography.Text>{t('notifications.webhooks.allowPrivate')}</Typography.Text>
          <Typography.Text type="secondary" style={{ maxWidth: 560 }}>
            {t('notifications.webhooks.allowPrivateHelp')}
          </Typography.Text>
        </Flex>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t('notifications.webhooks.add')}
        </Button>
      </Flex>
      {list.isError && <Alert type="error" showIcon title={errorText(list.error, t)} />}
      <Table<WebhookEndpoint>
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        columns={[
          {
            title: t('notifications.webhooks.url'),
            render: (_, e) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text code>{e.url}</Typography.Text>
                {e.description && <Typography.Text type="secondary">{e.description}</Typography.Text>}
              </Space>
            ),
          },
          {
            title: t('notifications.webhooks.events'),
            render: (_, e) => e.events.map((ev) => <Tag key={ev}>{ev}</Tag>),
          },
          {
            title: t('notifications.webhooks.active'),
            width: 80,
            render: (_, e) => (
              <Switch
                size="small"
                checked={e.active}
                onChange={(active) => update.mutate({ id: e.id, patch: { active } })}
              />
            ),
          },
          {
            title: t('common.actions'),
            width: 330,
            render: (_, e) => (
              <Space size={4} wrap>
                <Button size="small" onClick={() => setViewing(e)}>
                  {t('notifications.webhooks.deliveries')}
                </Button>
                <Button size="small" onClick={() => test.mutate(e.id)}>
                  {t('notifications.webhooks.test')}
                </Button>
                <Popconfirm
                  title={t('notifications.webhooks.rotateConfirm')}
                  onConfirm={() => update.mutate({ id: e.id, patch: { rotateSecret: true } })}
                >
                  <Button size="small">{t('notifications.webhooks.rotate')}</Button>
                </Popconfirm>
                <Popconfirm title={t('common.confirmDelete')} onConfirm={() => remove.mutate(e.id)}>
                  <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={creating}
        title={t('notifications.webhooks.add')}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        confirmLoading={create.isPending}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) => create.mutate(v)}
          initialValues={{ events: ['customer.created'] }}
        >
          <Form.Item
            name="url"
            label={t('notifications.webhooks.url')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Input placeholder="https://example.com/kept-webhook" />
          </Form.Item>
          <Form.Item
            name="events"
            label={t('notifications.webhooks.events')}
            extra={t('notifications.webhooks.eventsHelp')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Select
              mode="tags"
              options={[
                { value: '*', label: `* — ${t('notifications.webhooks.allEvents')}` },
                ...(eventTypes.data ?? []).map((e) => ({
                  value: e.type,
                  label: `${e.type} — ${e.description}`,
                })),
              ]}
              tokenSeparators={[',', ' ']}
              data-testid="webhook-events"
            />
          </Form.Item>
          <Form.Item name="description" label={t('notifications.webhooks.description')}>
            <Input maxLength={500} />
          </Form.Item>
          {create.isError && !Object.keys((create.error as { fields?: object }).fields ?? {}).length && (
            <Alert type="error" showIcon title={errorText(create.error, t)} />
          )}
        </Form>
      </Modal>
      <Modal
        open={!!secret}
        title={t('notifications.webhooks.secretTitle')}
        onCancel={() => setSecret(null)}
        onOk={() => setSecret(null)}
        cancelButtonProps={{ style: { display: 'none' } }}
      >
        <Alert
          type="warning"
          showIcon
          title={t('notifications.webhooks.secretOnce')}
          style={{ marginBottom: 12 }}
        />
        <Typography.Paragraph copyable code data-testid="webhook-secret">
          {secret}
        </Typography.Paragraph>
      </Modal>
      <Deliveries endpoint={viewing} onClose={() => setViewing(null)} />
    </Flex>
  );
}
