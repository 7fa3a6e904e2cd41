import { Badge, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useApprovalsCount } from './api';

/** The menu label of the approvals inbox, with the count of approvals waiting for me. */
export function ApprovalsMenuLabel() {
  const { t } = useTranslation();
  const approvals = useApprovalsCount();
  const count = approvals.data?.count ?? 0;
  return (
    <Space size={8}>
      <span>{t('processes.approvalsNav')}</span>
      {count > 0 && (
        <Badge
          count={approvals.data?.more ? `${count}+` : count}
          size="small"
          data-testid="approvals-badge"
        />
      )}
    </Space>
  );
}
