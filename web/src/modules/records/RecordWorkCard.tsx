import { Card, Empty, List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useDirectory } from '../../api/directory';
import { useFormatters } from '../../ui/format';
import { RecordProcessesCard } from '../processes/RecordProcessesCard';
import { useRecordWork } from './api';

/**
 * One card for any record (customer now; cases, jobs, orders… later): the processes running on it, and the
 * open tasks and promises about it.
 */
export function RecordWorkCard({ recordType, recordId }: { recordType: string; recordId: string }) {
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <RecordProcessesCard recordType={recordType} recordId={recordId} />
      <OpenWorkCard recordType={recordType} recordId={recordId} />
    </Space>
  );
}

function OpenWorkCard({ recordType, recordId }: { recordType: string; recordId: string }) {
  const { t } = useTranslation();
  const { dateTime } = useFormatters();
  const directory = useDirectory();
  const work = useRecordWork(recordType, recordId);
  const name = (id: string | null) => (id ? (directory.data?.find((u) => u.id === id)?.name ?? '') : '');
  const overdue = (due: string | null) => !!due && new Date(due).getTime() < Date.now();
  const data = work.data;
  return (
    <Card title={t('records.openWork')} size="small" loading={work.isLoading} data-testid="record-work">
      {data && !data.tasks.length && !data.promises.length ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('records.nothingOpen')} />
      ) : null}
      {data?.tasks.length ? (
        <List
          size="small"
          header={<Typography.Text strong>{t('records.tasks')}</Typography.Text>}
          dataSource={data.tasks}
          renderItem={(task) => (
            <List.Item>
              <Space wrap>
                <Link to="/tasks">{task.title}</Link>
                <Typography.Text type="secondary">{name(task.assigneeId)}</Typography.Text>
                {task.dueAt && (
                  <Tag color={overdue(task.dueAt) ? 'red' : 'default'}>{dateTime(task.dueAt)}</Tag>
                )}
              </Space>
            </List.Item>
          )}
          footer={data.moreTasks ? <Link to="/tasks">{t('records.more')}</Link> : undefined}
        />
      ) : null}
      {data?.promises.length ? (
        <List
          size="small"
          header={<Typography.Text strong>{t('records.promises')}</Typography.Text>}
          dataSource={data.promises}
          renderItem={(p) => (
            <List.Item>
              <Space wrap>
                <span>{p.what}</span>
                <Typography.Text type="secondary">{name(p.promiserId)}</Typography.Text>
                <Tag color={overdue(p.dueAt) ? 'red' : 'gold'}>{dateTime(p.dueAt)}</Tag>
              </Space>
            </List.Item>
          )}
          footer={data.morePromises ? <Link to="/my-day">{t('records.more')}</Link> : undefined}
        />
      ) : null}
    </Card>
  );
}
