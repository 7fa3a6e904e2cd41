import { ClockCircleOutlined } from '@ant-design/icons';
import { Space, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { useFormatters } from '../../ui/format';
import { type Clock, type DefSla, useText } from './api';

const COLORS: Record<string, string> = {
  running: 'processing',
  paused: 'default',
  met: 'success',
  breached_running: 'error',
  breached: 'error',
};

/** SLA clocks: name, status and due time in the org time zone; red when breached. */
export function ClockTags({ clocks, slas }: { clocks: Clock[]; slas: DefSla[] | undefined }) {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const text = useText();
  if (!clocks.length) return null;
  const statusText = (s: string) =>
    (t('processes.clock.status', { returnObjects: true }) as Record<string, string>)[s] ?? s;
  return (
    <Space size={[6, 6]} wrap data-testid="process-clocks">
      {clocks.map((c) => {
        const name = text(slas?.find((s) => s.key === c.key)?.name, c.key);
        const breached = c.status === 'breached' || c.status === 'breached_running';
        const when =
          c.status === 'met'
            ? t('processes.clock.stoppedAt', { time: fmt.dateTime(c.stoppedAt) })
            : breached && c.breachedAt
              ? t('processes.clock.breachedAt', { time: fmt.dateTime(c.breachedAt) })
              : t('processes.clock.due', { time: fmt.dateTime(c.dueAt) });
        return (
          <Tooltip
            key={c.id}
            title={`${t('processes.clock.due', { time: fmt.dateTime(c.dueAt) })} (${fmt.timeZone})`}
          >
            <Tag
              icon={<ClockCircleOutlined />}
              color={COLORS[c.status] ?? 'default'}
              data-clock-status={c.status}
              style={breached ? { fontWeight: 600 } : undefined}
            >
              {name} · {statusText(c.status)} · {when}
            </Tag>
          </Tooltip>
        );
      })}
    </Space>
  );
}
