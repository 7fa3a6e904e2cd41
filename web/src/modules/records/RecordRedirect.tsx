import { useQuery } from '@tanstack/react-query';
import { Button, Result } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { PageLoading } from '../../ui/PageLoading';
import { getInstance } from '../processes/api';
import { getRecord } from './api';

/**
 * `/records/:type/:id`: opens any record through the registry (its web route), so a link to a record of any
 * type — a notification, an audit entry — never lands on a missing page.
 */
export function RecordRedirect() {
  const { type = '', id = '' } = useParams();
  return <Resolve queryKey={['records', type, id]} load={async () => (await getRecord(type, id)).route} />;
}

/** `/processes/instances/:id`: a process opens on the record it runs on. */
export function ProcessInstanceRedirect() {
  const { id = '' } = useParams();
  return (
    <Resolve
      queryKey={['process-instance-route', id]}
      load={async () => {
        const inst = await getInstance(id);
        return (await getRecord(inst.recordType, inst.recordId)).route;
      }}
    />
  );
}

function Resolve({ queryKey, load }: { queryKey: string[]; load: () => Promise<string> }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const q = useQuery({ queryKey, queryFn: load, retry: false });
  useEffect(() => {
    if (q.data) navigate(q.data, { replace: true });
  }, [q.data, navigate]);
  if (q.isError) {
    return (
      <Result
        status="404"
        title={t('records.notFound')}
        subTitle={t('records.notFoundHint')}
        extra={
          <Link to="/my-day">
            <Button type="primary">{t('records.backHome')}</Button>
          </Link>
        }
      />
    );
  }
  return <PageLoading />;
}

export default RecordRedirect;
