import { type QueryKey, useInfiniteQuery } from '@tanstack/react-query';
import { type FetchResult, unwrap } from './client';

/**
 * Every list of the API answers one page: `items` and the `nextCursor` of the next page (null on the last);
 * `limit` (1–200, default 50) and `cursor` ask for a page. Some lists add members to their pages (customers a
 * capped `total` on the first page, notifications the `unread` count): the page type keeps them.
 */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** What a loader is asked for: the page size, and the previous page's nextCursor (absent for the first page). */
export interface PageParams {
  limit?: number;
  cursor?: string;
}

/**
 * Loads one page of a list through the typed client; the answer's type comes from the OpenAPI document:
 *
 *   (page) => client.GET('/api/v1/teams', { params: { query: page } })
 *   (page, signal) => client.GET('/api/v1/tasks', { params: { query: { assignee: 'me', ...page } }, signal })
 */
export type PageLoader<P extends Page<unknown>> = (
  page: PageParams,
  signal?: AbortSignal,
) => Promise<FetchResult<P>>;

/** The row type of a page type. */
export type ItemOf<P extends Page<unknown>> = P['items'][number];

export const MAX_PAGE = 200;

/**
 * All rows of a list, following nextCursor: for lists a screen needs whole (pickers, admin tables, a day's
 * overrides). Pages of 200; `max` pages at most, as a guard against a runaway list.
 */
export async function fetchAll<P extends Page<unknown>>(
  load: PageLoader<P>,
  max = 100,
): Promise<{ items: ItemOf<P>[] }> {
  const items: ItemOf<P>[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < max; i++) {
    const page = await unwrap(load({ limit: MAX_PAGE, cursor }));
    items.push(...(page.items as ItemOf<P>[]));
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return { items };
}

/**
 * A list shown a page at a time with a "load more" button: `items` are the pages so far, flattened; `first` is
 * the first page as answered (its extra members: a total, an unread count).
 */
export function usePagedList<P extends Page<unknown>>(
  queryKey: QueryKey,
  load: PageLoader<P>,
  opts: { limit?: number; enabled?: boolean; refetchInterval?: number } = {},
) {
  const q = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam, signal }) => unwrap(load({ limit: opts.limit, cursor: pageParam }, signal)),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: opts.enabled,
    refetchInterval: opts.refetchInterval,
  });
  const items: ItemOf<P>[] = q.data?.pages.flatMap((p) => p.items as ItemOf<P>[]) ?? [];
  return { ...q, items, first: q.data?.pages[0] };
}
