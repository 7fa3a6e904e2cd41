import { FlagOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Badge, Button, Card, Col, DatePicker, Row, Segmented, Space, Tabs, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../ui/errors';
import { useCan } from '../auth/session';
import { HolidayBanner } from '../calendar/HolidaysCard';
import { NewTaskModal } from '../tasks/NewTaskModal';
import { CloseItemModal } from './ActionModals';
import { type MyDay, type MyDayItem, QUADRANTS, useMyDay } from './api';
import { NewPromiseModal } from './NewPromiseModal';
import { SectionList } from './SectionList';
import { TeamDayView } from './TeamDayView';

type View = 'list' | 'quadrants';
const QUADRANT_COLORS = {
  urgentImportant: '#ff4d4f',
  notUrgentImportant: '#faad14',
  urgentNotImportant: '#1677ff',
  notUrgentNotImportant: '#8c8c8c',
};

function Section({
  title,
  count,
  color,
  children,
  testId,
}: {
  title: string;
  count: number | string;
  color: string;
  children: React.ReactNode;
  testId: string;
}) {
  return (
    <Card
      size="small"
      data-testid={testId}
      title={
        <Space>
          <span style={{ color }}>{title}</span>
          <Badge count={count} showZero color={color} />
        </Space>
      }
      style={{ marginBottom: 16 }}
    >
      {children}
    </Card>
  );
}

function MineView({
  data,
  date,
  view,
  act,
}: {
  data: MyDay;
  date?: string;
  view: View;
  act: (i: MyDayItem) => void;
}) {
  const { t } = useTranslation();
  if (view === 'quadrants')
    return (
      <Row gutter={[16, 16]} data-testid="myday-quadrants">
        {QUADRANTS.map((q) => (
          <Col xs={24} lg={12} key={q}>
            <Section
              title={t(`myday.${q}`)}
              count={data.nextCursors[q] ? `${data.quadrants[q].length}+` : data.quadrants[q].length}
              color={QUADRANT_COLORS[q]}
              testId={`quadrant-${q}`}
            >
              <SectionList
                section={q}
                date={date}
                first={data.quadrants[q]}
                nextCursor={data.nextCursors[q]}
                testId={`quadrant-list-${q}`}
                onComplete={act}
                onKeep={act}
              />
            </Section>
          </Col>
        ))}
      </Row>
    );
  return (
    <>
      {data.counts.overdue === 0 && (
        <Alert type="success" showIcon title={t('myday.allClear')} style={{ marginBottom: 16 }} />
      )}
      {data.counts.overdue > 0 && (
        <Section
          title={t('myday.overdue')}
          count={data.counts.overdue}
          color="#cf1322"
          testId="myday-overdue"
        >
          <SectionList
            section="overdue"
            date={date}
            first={data.overdue}
            nextCursor={data.nextCursors.overdue}
            overdue
            testId="overdue-list"
            onComplete={act}
            onKeep={act}
          />
        </Section>
      )}
      <Section title={t('myday.dueToday')} count={data.counts.dueToday} color="#1677ff" testId="myday-today">
        <SectionList
          section="dueToday"
          date={date}
          first={data.dueToday}
          nextCursor={data.nextCursors.dueToday}
          testId="today-list"
          onComplete={act}
          onKeep={act}
        />
      </Section>
      <Section
        title={t('myday.upcoming')}
        count={data.counts.upcoming}
        color="#595959"
        testId="myday-upcoming"
      >
        <SectionList
          section="upcoming"
          date={date}
          first={data.upcoming}
          nextCursor={data.nextCursors.upcoming}
          testId="upcoming-list"
          onComplete={act}
          onKeep={act}
        />
      </Section>
    </>
  );
}

/** "My day": overdue first (red), due today, upcoming; or the urgent/important quadrants; a team tab for supervisors. */
export default function MyDayPage() {
  const { t } = useTranslation();
  const can = useCan();
  const [date, setDate] = useState<string | undefined>(undefined);
  const [view, setView] = useState<View>('list');
  const [closing, setClosing] = useState<MyDayItem | null>(null);
  const [newTask, setNewTask] = useState(false);
  const [newPromise, setNewPromise] = useState(false);
  const q = useMyDay(date);

  const mine = (
    <>
      <HolidayBanner canManage={can('calendar.manage')} />
      {q.isError && (
        <Alert type="error" showIcon title={errorText(q.error, t)} style={{ marginBottom: 16 }} />
      )}
      {q.data && <MineView data={q.data} date={date} view={view} act={setClosing} />}
    </>
  );
  const tabs = [{ key: 'mine', label: t('myday.mine'), children: mine }];
  if (can('task.read.team'))
    tabs.push({ key: 'team', label: t('myday.team'), children: <TeamDayView date={date} /> });

  return (
    <Card
      loading={q.isLoading}
      title={
        <Space orientation="vertical" size={0}>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="myday-title">
            {t('myday.title')}
          </Typography.Title>
          {q.data && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('myday.timeZone', { tz: q.data.timeZone })}
            </Typography.Text>
          )}
        </Space>
      }
      extra={
        <Space wrap>
          <DatePicker
            allowClear
            value={date ? dayjs(date) : null}
            onChange={(d) => setDate(d ? d.format('YYYY-MM-DD') : undefined)}
          />
          <Segmented<View>
            data-testid="myday-view"
            value={view}
            onChange={setView}
            options={[
              { value: 'list', label: t('myday.list') },
              { value: 'quadrants', label: t('myday.quadrants') },
            ]}
          />
          <Button icon={<ReloadOutlined />} onClick={() => q.refetch()} aria-label={t('common.refresh')} />
          <Button icon={<FlagOutlined />} onClick={() => setNewPromise(true)} data-testid="new-promise">
            {t('myday.newPromise')}
          </Button>
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setNewTask(true)}
            data-testid="new-task"
          >
            {t('myday.newTask')}
          </Button>
        </Space>
      }
    >
      <Tabs items={tabs} />
      <CloseItemModal item={closing} onClose={() => setClosing(null)} />
      <NewTaskModal open={newTask} onClose={() => setNewTask(false)} />
      <NewPromiseModal open={newPromise} onClose={() => setNewPromise(false)} />
    </Card>
  );
}
