import { Button, Flex } from 'antd';
import { useTranslation } from 'react-i18next';

/** "Load more" under a list shown a page at a time; renders nothing when there is no next page. */
export function LoadMore({
  hasMore,
  loading,
  onClick,
}: {
  hasMore: boolean;
  loading?: boolean;
  onClick: () => void;
}) {
  const { t } = useTranslation();
  if (!hasMore) return null;
  return (
    <Flex justify="center" style={{ marginTop: 12 }}>
      <Button loading={loading} onClick={onClick} data-testid="load-more">
        {t('common.loadMore')}
      </Button>
    </Flex>
  );
}
