import { type QueryKey, useInfiniteQuery } from '@tanstack/react-query';
import { api, type RequestOptions } from './client';

/**
 * Every list of the API answers one page: `items` and the `nextCursor` of the next page (null on the last);
 * `limit` (1–200, default 50) and `cursor` ask for a page. Some lists add a `total` on their first page,
 * capped (`totalCapped: true` means "at least that many").
 */
export interface Paged<T> {
  items: T[];
  nextCursor: string | null;
  total?: number;
  totalCapped?: boolean;
}

export const MAX_PAGE = 200;

/**
 * All rows of a list, following nextCursor: for lists a screen needs whole (pickers, admin tables, a day's
 * overrides). Pages of 200; `max` pages at most, as a guard against a runaway list.
 */
export async function fetchAll<T>(
  path: string,
  query?: RequestOptions['query'],
  max = 100,
): Promise<{ items: T[] }> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < max; i++) {
    const page: Paged<T> = await api.get<Paged<T>>(path, { ...query, limit: MAX_PAGE, cursor });
    items.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return { items };
}

/** A list shown a page at a time with a "load more" button: the pages so far, flattened. */
export function usePagedList<T>(
  queryKey: QueryKey,
  path: string,
  query?: RequestOptions['query'],
  opts: { limit?: number; enabled?: boolean; refetchInterval?: number } = {},
) {
  const q = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => api.get<Paged<T>>(path, { ...query, limit: opts.limit, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: opts.enabled,
    refetchInterval: opts.refetchInterval,
  });
  return { ...q, items: q.data?.pages.flatMap((p) => p.items) ?? [] };
}
