import { Alert, Button, Space, Tag } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DuplicateCandidate } from '../../../api/types';

interface Props {
  candidates: DuplicateCandidate[];
  loading: boolean;
  onCreateAnyway: () => void;
  onOpen: () => void;
  /** Offered on candidates the user may open (merge the two, choosing values side by side). */
  onMerge?: (id: string) => void;
}

/** Shown after a 409 duplicate_customer: the look-alikes, with links, and a way to create anyway. */
export function DuplicateAlert({ candidates, loading, onCreateAnyway, onOpen, onMerge }: Props) {
  const { t } = useTranslation();
  // Shown where save was clicked, and scrolled into view whole (a tall form would leave it half off-screen).
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    box.current?.scrollIntoView({ block: 'nearest' });
  }, []);
  return (
    <div ref={box}>
      <Alert
        type="warning"
        showIcon
        data-testid="duplicate-alert"
        style={{ marginBottom: 12, textAlign: 'start' }}
        title={t('customer.duplicate.title')}
        description={
          <>
            <div>{t('customer.duplicate.body')}</div>
            <ul style={{ margin: '8px 0', paddingInlineStart: 18 }}>
              {candidates.map((c, i) => (
                <li key={c.id ?? `hidden-${i}`} style={{ marginBottom: 4 }}>
                  <Space wrap size={6}>
                    {c.id ? (
                      <Link to={`/customers/${c.id}`} onClick={onOpen}>
                        {c.name}
                      </Link>
                    ) : (
                      // A record the user may not open: no link, only that it exists.
                      <span data-testid="duplicate-hidden">
                        {c.name} {t('dayOne.merge.notVisible')}
                      </span>
                    )}
                    {c.mobile && <span>{c.mobile}</span>}
                    <span>· {t('customer.duplicate.matchedOn')}:</span>
                    {c.matchedOn.map((m) => (
                      <Tag key={m} color="orange">
                        {t(`customer.fields.${m}`)}
                      </Tag>
                    ))}
                    {c.id && onMerge && (
                      <Button
                        size="small"
                        onClick={() => c.id && onMerge(c.id)}
                        data-testid="duplicate-merge"
                      >
                        {t('dayOne.merge.button')}
                      </Button>
                    )}
                  </Space>
                </li>
              ))}
            </ul>
            <Button
              danger
              size="small"
              loading={loading}
              onClick={onCreateAnyway}
              data-testid="create-anyway"
            >
              {t('customer.duplicate.createAnyway')}
            </Button>
          </>
        }
      />
    </div>
  );
}
