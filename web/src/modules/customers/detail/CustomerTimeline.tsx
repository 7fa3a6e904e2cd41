import {
  CalendarOutlined,
  EnvironmentOutlined,
  FileTextOutlined,
  InfoCircleOutlined,
  MailOutlined,
  MessageOutlined,
  PhoneOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { Alert, Card, Empty, Spin, Timeline, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TimelineItem } from '../../../api/types';
import { codeLabel } from '../../../i18n';
import { errorText } from '../../../ui/errors';
import { useFormatters } from '../../../ui/format';
import { LoadMore } from '../../../ui/LoadMore';
import { useTimeline } from '../api';

export const ACTIVITY_KINDS = ['call', 'message', 'email', 'visit', 'meeting', 'note'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

const ICONS: Record<ActivityKind, ReactNode> = {
  call: <PhoneOutlined />,
  message: <MessageOutlined />,
  email: <MailOutlined />,
  visit: <EnvironmentOutlined />,
  meeting: <TeamOutlined />,
  note: <FileTextOutlined />,
};
const COLORS: Record<ActivityKind, string> = {
  call: 'green',
  message: 'blue',
  email: 'purple',
  visit: 'orange',
  meeting: 'cyan',
  note: 'gray',
};

function isActivityKind(k: string): k is ActivityKind {
  return (ACTIVITY_KINDS as readonly string[]).includes(k);
}

export function CustomerTimeline({ customerId }: { customerId: string }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormatters();
  // Newest first, as the API pages it.
  const query = useTimeline(customerId);
  const items = query.items;

  const kindLabel = (i: TimelineItem) => {
    if (isActivityKind(i.kind)) return t(`customer.activity.kinds.${i.kind}`);
    return codeLabel('events', i.kind) ?? i.kind;
  };
  // Events carry the changed columns (snake_case); show the user-facing ones by their label.
  const eventBody = (i: TimelineItem): string | null => {
    if (!i.body || i.kind.endsWith('.create')) return null;
    const labels = i.body
      .split(/,\s*/)
      .map((col) =>
        col === 'owner_id' ? 'owner' : col.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
      )
      .filter((f) => i18n.exists(`customer.fields.${f}`))
      .map((f) => t(`customer.fields.${f}` as 'customer.fields.name'));
    return labels.length ? `${t('events.changed')}${[...new Set(labels)].join('、')}` : null;
  };

  return (
    <Card title={t('customer.detail.timeline')} data-testid="timeline">
      {query.isError && <Alert type="error" showIcon title={errorText(query.error, t)} />}
      {query.isLoading && <Spin />}
      {query.isSuccess && items.length === 0 && <Empty description={t('customer.detail.noTimeline')} />}
      <Timeline
        items={items.map((i) => {
          const known = isActivityKind(i.kind);
          return {
            key: i.id,
            color: known ? COLORS[i.kind as ActivityKind] : 'gray',
            icon: known ? (
              ICONS[i.kind as ActivityKind]
            ) : i.type === 'event' ? (
              <InfoCircleOutlined />
            ) : (
              <CalendarOutlined />
            ),
            content: (
              <div>
                <Typography.Text strong>
                  {kindLabel(i)}
                  {i.subject ? ` · ${i.subject}` : ''}
                </Typography.Text>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {fmt.dateTime(i.occurredAt)} · {i.actor?.name ?? t('customer.detail.system')}
                  </Typography.Text>
                </div>
                {i.type === 'activity' && i.body && (
                  <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: '4px 0 0' }}>
                    {i.body}
                  </Typography.Paragraph>
                )}
                {i.type === 'event' && eventBody(i) && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {eventBody(i)}
                  </Typography.Text>
                )}
              </div>
            ),
          };
        })}
      />
      <LoadMore
        hasMore={query.hasNextPage}
        loading={query.isFetchingNextPage}
        onClick={() => void query.fetchNextPage()}
      />
    </Card>
  );
}
