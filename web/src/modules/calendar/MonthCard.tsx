import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Space, Spin, Tag, Tooltip, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../ui/errors';
import { type CalendarDay, type DayType, formatIntervals, useCalendarDays, WEEKDAYS } from './api';

const COLORS: Record<DayType, { bg: string; border: string; tag: string }> = {
  workday: { bg: '#ffffff', border: '#f0f0f0', tag: 'default' },
  weekend: { bg: '#f5f5f5', border: '#e8e8e8', tag: 'default' },
  holiday: { bg: '#fff1f0', border: '#ffa39e', tag: 'red' },
  adjusted_workday: { bg: '#fff7e6', border: '#ffd591', tag: 'orange' },
};

export function MonthCard({ month, onMonth }: { month: Dayjs; onMonth: (m: Dayjs) => void }) {
  const { t } = useTranslation();
  const first = month.startOf('month');
  const last = month.endOf('month');
  const from = first.format('YYYY-MM-DD');
  const to = last.format('YYYY-MM-DD');
  const days = useCalendarDays(from, to);
  const byDate = new Map<string, CalendarDay>((days.data ?? []).map((d) => [d.date, d]));
  const lead = (first.day() + 6) % 7; // Monday-first grid
  const cells: (Dayjs | null)[] = [
    ...Array.from({ length: lead }, () => null),
    ...Array.from({ length: last.date() }, (_, i) => first.add(i, 'day')),
  ];
  const today = dayjs().format('YYYY-MM-DD');

  return (
    <Card
      title={t('calendar.month.title')}
      extra={
        <Space>
          <Button size="small" icon={<LeftOutlined />} onClick={() => onMonth(month.subtract(1, 'month'))} />
          <DatePicker
            picker="month"
            size="small"
            allowClear={false}
            value={month}
            onChange={(v) => v && onMonth(v)}
          />
          <Button size="small" icon={<RightOutlined />} onClick={() => onMonth(month.add(1, 'month'))} />
          <Button size="small" onClick={() => onMonth(dayjs())}>
            {t('calendar.month.today')}
          </Button>
        </Space>
      }
    >
      {days.isError && (
        <Alert type="error" showIcon title={errorText(days.error, t)} style={{ marginBottom: 12 }} />
      )}
      <Space wrap style={{ marginBottom: 12 }}>
        {(Object.keys(COLORS) as DayType[]).map((k) => (
          <Tag key={k} color={COLORS[k].tag} style={{ background: COLORS[k].bg }}>
            {t(`calendar.month.types.${k}`)}
          </Tag>
        ))}
      </Space>
      <Spin spinning={days.isFetching}>
        <div
          data-testid="calendar-month"
          style={{ display: 'grid', gridTemplateColumns: 'repeat(7, minmax(0, 1fr))', gap: 4 }}
        >
          {WEEKDAYS.map((d) => (
            <div key={d} style={{ textAlign: 'center', fontWeight: 600, padding: 4 }}>
              {t(`calendar.weekdays.${d}`)}
            </div>
          ))}
          {cells.map((c, i) => {
            // biome-ignore lint/suspicious/noArrayIndexKey: leading blanks are positional
            if (!c) return <div key={`blank-${i}`} />;
            const date = c.format('YYYY-MM-DD');
            const info = byDate.get(date);
            const color = COLORS[info?.type ?? 'workday'];
            const hours = info?.working ? formatIntervals(info.hours) : '';
            return (
              <Tooltip
                key={date}
                title={[info && t(`calendar.month.types.${info.type}`), hours].filter(Boolean).join(' · ')}
              >
                <div
                  data-date={date}
                  data-type={info?.type}
                  style={{
                    minHeight: 68,
                    padding: 6,
                    borderRadius: 6,
                    background: color.bg,
                    border: `1px solid ${date === today ? '#1677ff' : color.border}`,
                  }}
                >
                  <Space size={4} style={{ width: '100%', justifyContent: 'space-between' }}>
                    <Typography.Text strong type={info?.type === 'holiday' ? 'danger' : undefined}>
                      {c.date()}
                    </Typography.Text>
                    {info?.type === 'adjusted_workday' && (
                      <Tag color="orange" style={{ marginInlineEnd: 0 }}>
                        {t('calendar.month.adjustedShort')}
                      </Tag>
                    )}
                    {info?.type === 'holiday' && (
                      <Tag color="red" style={{ marginInlineEnd: 0 }}>
                        {t('calendar.month.holidayShort')}
                      </Tag>
                    )}
                  </Space>
                  {info?.name && (
                    <div style={{ fontSize: 12, marginTop: 4 }}>
                      <Typography.Text type={info.type === 'holiday' ? 'danger' : 'warning'} ellipsis>
                        {info.name}
                      </Typography.Text>
                    </div>
                  )}
                </div>
              </Tooltip>
            );
          })}
        </div>
      </Spin>
    </Card>
  );
}
