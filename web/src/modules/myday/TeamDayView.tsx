import { Alert, Badge, Card, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTeams } from '../../api/directory';
import { errorText } from '../../ui/errors';
import { useSession } from '../auth/session';
import { useTeamDay } from './api';
import { SectionList } from './SectionList';

/** Supervisors: each member's overdue / today / upcoming counts, with their overdue items. */
export function TeamDayView({ date }: { date?: string }) {
  const { t } = useTranslation();
  const session = useSession();
  const teams = useTeams();
  const mine = (teams.data ?? []).filter((x) => session.user.teamIds.includes(x.id));
  const [teamId, setTeamId] = useState<string | undefined>(undefined);
  const chosen = teamId ?? mine[0]?.id;
  const day = useTeamDay(Boolean(chosen), chosen, date);
  if (!teams.isLoading && !chosen) return <Alert type="info" showIcon title={t('myday.noTeam')} />;
  return (
    <Card
      size="small"
      title={
        <Space>
          {t('myday.teamPick')}
          <Select
            style={{ minWidth: 200 }}
            value={chosen}
            onChange={setTeamId}
            options={mine.map((x) => ({ value: x.id, label: x.name }))}
          />
        </Space>
      }
    >
      {day.isError && (
        <Alert type="error" showIcon title={errorText(day.error, t)} style={{ marginBottom: 12 }} />
      )}
      <Table
        data-testid="team-day"
        rowKey="userId"
        size="small"
        loading={day.isLoading}
        pagination={false}
        dataSource={day.data?.members ?? []}
        expandable={{
          rowExpandable: (m) => m.overdue.length > 0,
          expandedRowRender: (m) => (
            <SectionList
              section="overdue"
              date={date}
              userId={m.userId}
              first={m.overdue}
              nextCursor={m.overdueNextCursor}
              overdue
              compact
              testId="team-member-overdue"
            />
          ),
        }}
        columns={[
          {
            title: t('myday.member'),
            render: (_, m) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text strong>{m.name}</Typography.Text>
                <Typography.Text type="secondary">{m.roleName}</Typography.Text>
              </Space>
            ),
          },
          {
            title: t('myday.overdue'),
            render: (_, m) => (
              <Badge showZero count={m.counts.overdue} color={m.counts.overdue ? '#ff4d4f' : '#d9d9d9'} />
            ),
          },
          {
            title: t('myday.dueToday'),
            render: (_, m) => <Badge showZero count={m.counts.dueToday} color="#1677ff" />,
          },
          {
            title: t('myday.upcoming'),
            render: (_, m) => <Badge showZero count={m.counts.upcoming} color="#8c8c8c" />,
          },
        ]}
      />
    </Card>
  );
}
