import { Alert, Button, Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DuplicateCandidate } from '../../../api/types';

interface Props {
  candidates: DuplicateCandidate[];
  loading: boolean;
  onCreateAnyway: () => void;
  onOpen: () => void;
}

/** Shown after a 409 duplicate_customer: the look-alikes, with links, and a way to create anyway. */
export function DuplicateAlert({ candidates, loading, onCreateAnyway, onOpen }: Props) {
  const { t } = useTranslation();
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="duplicate-alert"
      style={{ marginBottom: 12 }}
      title={t('customer.duplicate.title')}
      description={
        <>
          <div>{t('customer.duplicate.body')}</div>
          <ul style={{ margin: '8px 0', paddingInlineStart: 18 }}>
            {candidates.map((c) => (
              <li key={c.id} style={{ marginBottom: 4 }}>
                <Space wrap size={6}>
                  <Link to={`/customers/${c.id}`} onClick={onOpen}>
                    {c.name}
                  </Link>
                  {c.mobile && <span>{c.mobile}</span>}
                  <span>· {t('customer.duplicate.matchedOn')}:</span>
                  {c.matchedOn.map((m) => (
                    <Tag key={m} color="orange">
                      {t(`customer.fields.${m}`)}
                    </Tag>
                  ))}
                </Space>
              </li>
            ))}
          </ul>
          <Button danger size="small" loading={loading} onClick={onCreateAnyway} data-testid="create-anyway">
            {t('customer.duplicate.createAnyway')}
          </Button>
        </>
      }
    />
  );
}
