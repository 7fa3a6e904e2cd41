import { CheckOutlined, FlagOutlined } from '@ant-design/icons';
import { Button, Empty, List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormatters } from '../../ui/format';
import type { MyDayItem } from './api';

interface Props {
  items: MyDayItem[];
  overdue?: boolean;
  testId: string;
  onComplete?: (item: MyDayItem) => void;
  onKeep?: (item: MyDayItem) => void;
  compact?: boolean;
}

const CHANNELS = ['message', 'call', 'email', 'visit'] as const;
type ChannelKey = (typeof CHANNELS)[number];
const isChannel = (c: string | null): c is ChannelKey =>
  Boolean(c && (CHANNELS as readonly string[]).includes(c));

/** A list of My day items (tasks and promises) with their flags and one action each. */
export function ItemList({ items, overdue, testId, onComplete, onKeep, compact }: Props) {
  const { t } = useTranslation();
  const fmt = useFormatters();
  if (!items.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('myday.empty')} />;
  return (
    <List
      data-testid={testId}
      size="small"
      dataSource={items}
      renderItem={(item) => (
        <List.Item
          data-testid="myday-item"
          data-item-id={item.id}
          style={
            overdue ? { borderLeft: '3px solid #ff4d4f', paddingLeft: 12, background: '#fff1f0' } : undefined
          }
          actions={
            compact
              ? []
              : [
                  item.type === 'task' ? (
                    <Button
                      key="c"
                      size="small"
                      type="primary"
                      icon={<CheckOutlined />}
                      data-testid="complete-task"
                      onClick={() => onComplete?.(item)}
                    >
                      {t('myday.complete')}
                    </Button>
                  ) : (
                    <Button
                      key="k"
                      size="small"
                      icon={<FlagOutlined />}
                      data-testid="keep-promise"
                      onClick={() => onKeep?.(item)}
                    >
                      {t('myday.keep')}
                    </Button>
                  ),
                ]
          }
        >
          <List.Item.Meta
            title={
              <Space size={6} wrap>
                <Tag color={item.type === 'promise' ? 'purple' : 'blue'}>
                  {t(item.type === 'promise' ? 'myday.promise' : 'myday.task')}
                </Tag>
                <Typography.Text strong>{item.title}</Typography.Text>
                {isChannel(item.channel) && <Tag>{t(`myday.channels.${item.channel}`)}</Tag>}
                {item.urgent && <Tag color="volcano">{t('tasks.urgent')}</Tag>}
                {item.important && <Tag color="gold">{t('tasks.important')}</Tag>}
              </Space>
            }
            description={
              <Space orientation="vertical" size={0}>
                <Typography.Text type={overdue ? 'danger' : 'secondary'}>
                  {t('tasks.due')}: {item.dueAt ? fmt.dateTime(item.dueAt) : t('tasks.noDue')}
                </Typography.Text>
                {item.toText && (
                  <Typography.Text type="secondary">{t('myday.to', { to: item.toText })}</Typography.Text>
                )}
                {!compact && item.description && (
                  <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ marginBottom: 0 }}>
                    {item.description}
                  </Typography.Paragraph>
                )}
                {item.customerId && (
                  <Link to={`/customers/${item.customerId}`}>{t('myday.openCustomer')}</Link>
                )}
              </Space>
            }
          />
        </List.Item>
      )}
    />
  );
}
