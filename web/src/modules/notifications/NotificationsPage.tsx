import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Flex, Switch, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { usePagedList } from '../../api/paging';
import { errorText } from '../../ui/errors';
import { LoadMore } from '../../ui/LoadMore';
import { useCan } from '../auth/session';
import { NOTIFICATIONS_KEY, notificationsApi } from './api';
import { NotificationItem, useOpenNotification } from './NotificationBell';
import { PreferencesPanel } from './PreferencesPanel';
import { WebhooksPanel } from './WebhooksPanel';

function Inbox() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const query = usePagedList(
    [...NOTIFICATIONS_KEY, 'inbox', unreadOnly],
    notificationsApi.inboxPage(unreadOnly),
    {
      limit: 50,
    },
  );
  const readAll = useMutation({
    mutationFn: notificationsApi.markAllRead,
    onSuccess: () => void qc.invalidateQueries({ queryKey: NOTIFICATIONS_KEY }),
  });
  const openItem = useOpenNotification();
  const items = query.items;
  const unread = query.first?.unread ?? 0;
  return (
    <>
      <Flex justify="space-between" align="center" style={{ marginBottom: 12 }}>
        <Flex gap={8} align="center">
          <Switch size="small" checked={unreadOnly} onChange={setUnreadOnly} />
          <Typography.Text>{t('notifications.unreadOnly')}</Typography.Text>
        </Flex>
        <Button disabled={!unread} loading={readAll.isPending} onClick={() => readAll.mutate()}>
          {t('notifications.markAllRead')}
        </Button>
      </Flex>
      {query.isError && (
        <Alert type="error" showIcon title={errorText(query.error, t)} style={{ marginBottom: 12 }} />
      )}
      {items.length
        ? items.map((n) => <NotificationItem key={n.id} n={n} onOpen={openItem} />)
        : !query.isLoading && <Empty description={t('notifications.empty')} />}
      <LoadMore
        hasMore={query.hasNextPage}
        loading={query.isFetchingNextPage}
        onClick={() => void query.fetchNextPage()}
      />
    </>
  );
}

/** My notifications, my preferences and, for admins, the organization's webhooks. */
export default function NotificationsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'inbox';
  const items = [
    { key: 'inbox', label: t('notifications.tabs.inbox'), children: <Inbox /> },
    { key: 'preferences', label: t('notifications.tabs.preferences'), children: <PreferencesPanel /> },
    ...(can('webhook.manage')
      ? [{ key: 'webhooks', label: t('notifications.tabs.webhooks'), children: <WebhooksPanel /> }]
      : []),
  ];
  return (
    <Card title={t('notifications.title')}>
      <Tabs
        activeKey={tab}
        items={items}
        onChange={(k) => setParams({ tab: k }, { replace: true })}
        destroyOnHidden
      />
    </Card>
  );
}
