import { App } from 'antd';
import { type ComponentProps, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../ui/errors';
import { LoadMore } from '../../ui/LoadMore';
import { fetchSection, type MyDayItem, type Section } from './api';
import { ItemList } from './ItemList';

type Props = Omit<ComponentProps<typeof ItemList>, 'items'> & {
  section: Section;
  date?: string;
  /** Another member's day (team view). */
  userId?: string;
  /** The section's first page, as My day answered it, and the cursor of the rest. */
  first: MyDayItem[];
  nextCursor: string | null;
};

/** One section of My day: its first page, then "load more" for the next pages of that section. */
export function SectionList({ section, date, userId, first, nextCursor, ...rest }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [more, setMore] = useState<MyDayItem[]>([]);
  const [cursor, setCursor] = useState(nextCursor);
  const [loading, setLoading] = useState(false);
  // A refetched day (a new first page) starts the section over.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `first` is the trigger, not read
  useEffect(() => {
    setMore([]);
    setCursor(nextCursor);
  }, [first, nextCursor]);
  const load = async () => {
    if (!cursor) return;
    setLoading(true);
    try {
      const page = await fetchSection(section, cursor, date, userId);
      setMore((m) => [...m, ...page.items]);
      setCursor(page.nextCursor);
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setLoading(false);
    }
  };
  return (
    <>
      <ItemList items={[...first, ...more]} {...rest} />
      <LoadMore hasMore={Boolean(cursor)} loading={loading} onClick={() => void load()} />
    </>
  );
}
