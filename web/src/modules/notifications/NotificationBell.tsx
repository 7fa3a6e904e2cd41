import { BellOutlined, CheckOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Empty, Flex, Popover, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useFormatters } from '../../ui/format';
import { NOTIFICATIONS_KEY, type Notification, notificationsApi, STREAM_URL } from './api';

/** Listens to the live stream (same-origin cookie) and refreshes the notification queries on each event. */
function useNotificationStream(onNotification: (n: Notification) => void) {
  const qc = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource(STREAM_URL, { withCredentials: true });
    const handler = (ev: MessageEvent<string>) => {
      void qc.invalidateQueries({ queryKey: NOTIFICATIONS_KEY });
      try {
        onNotification(JSON.parse(ev.data) as Notification);
      } catch {
        /* not a notification payload */
      }
    };
    source.addEventListener('notification', handler);
    return () => {
      source.removeEventListener('notification', handler);
      source.close();
    };
  }, [qc, onNotification]);
}

export function NotificationItem({ n, onOpen }: { n: Notification; onOpen: (n: Notification) => void }) {
  const fmt = useFormatters();
  return (
    <button
      type="button"
      onClick={() => onOpen(n)}
      data-testid="notification-item"
      style={{
        display: 'block',
        width: '100%',
        textAlign: 'left',
        border: 0,
        borderBottom: '1px solid #f0f0f0',
        padding: '8px 4px',
        background: n.readAt ? 'transparent' : '#f0f7ff',
        cursor: 'pointer',
      }}
    >
      {/* Title, body and time each on a line of their own. */}
      <Flex vertical gap={2}>
        <Typography.Text strong={!n.readAt}>{n.title}</Typography.Text>
        {n.body && (
          <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: 0 }}>
            {n.body}
          </Typography.Paragraph>
        )}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {fmt.dateTime(n.createdAt)}
        </Typography.Text>
      </Flex>
    </button>
  );
}

/** Opening a notification marks it read and follows its link (app paths in the app, others in a new tab). */
export function useOpenNotification() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const read = useMutation({
    mutationFn: (id: string) => notificationsApi.markRead(id),
    onSuccess: () => void qc.invalidateQueries({ queryKey: NOTIFICATIONS_KEY }),
  });
  return (n: Notification) => {
    if (!n.readAt) read.mutate(n.id);
    // The record it is about opens through the registry's route; an older link still resolves (/records/…).
    const to = n.link ?? (n.record ? `/records/${n.record.type}/${n.record.id}` : null);
    if (to?.startsWith('/')) navigate(to);
    else if (to && /^https?:\/\//.test(to)) window.open(to, '_blank', 'noopener');
  };
}

export function NotificationBell() {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const query = useQuery({
    queryKey: [...NOTIFICATIONS_KEY, 'bell'],
    queryFn: () => notificationsApi.list(false, 10),
    refetchInterval: 120_000,
  });
  const readAll = useMutation({
    mutationFn: notificationsApi.markAllRead,
    onSuccess: () => void qc.invalidateQueries({ queryKey: NOTIFICATIONS_KEY }),
  });
  const openItem = useOpenNotification();
  const [toast] = useState(() => (n: Notification) => {
    notification.info({
      title: n.title,
      description: n.body || undefined,
      placement: 'topRight',
      duration: 4,
    });
  });
  useNotificationStream(toast);

  const items = query.data?.items ?? [];
  const unread = query.data?.unread ?? 0;
  const content = (
    <div style={{ width: 340 }} data-testid="notification-list">
      <Flex justify="space-between" align="center" style={{ marginBottom: 4 }}>
        <Typography.Text strong>{t('notifications.title')}</Typography.Text>
        <Button
          size="small"
          type="link"
          icon={<CheckOutlined />}
          disabled={!unread}
          onClick={() => readAll.mutate()}
        >
          {t('notifications.markAllRead')}
        </Button>
      </Flex>
      <div style={{ maxHeight: 380, overflowY: 'auto' }}>
        {items.length ? (
          items.map((n) => (
            <NotificationItem
              key={n.id}
              n={n}
              onOpen={(x) => {
                setOpen(false);
                openItem(x);
              }}
            />
          ))
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.empty')} />
        )}
      </div>
      <Button
        type="link"
        block
        onClick={() => {
          setOpen(false);
          navigate('/notifications');
        }}
      >
        {t('notifications.viewAll')}
      </Button>
    </div>
  );
  return (
    <Popover content={content} trigger="click" placement="bottomRight" open={open} onOpenChange={setOpen}>
      <Badge count={unread} size="small" overflowCount={99}>
        <Button
          size="small"
          type="text"
          icon={<BellOutlined />}
          aria-label={t('notifications.bell')}
          data-testid="notification-bell"
        />
      </Badge>
    </Popover>
  );
}
