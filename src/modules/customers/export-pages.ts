import type { Ctx } from '../../platform/context.ts';
import { type Db, yieldToEventLoop } from '../../platform/db/db.ts';
import { fetchPage, sortOf } from '../../platform/db/paging.ts';
import { isUuid } from '../../platform/http/errors.ts';
import { activeDefs } from './custom-fields.ts';
import { customerScope } from './customers.policy.ts';
import { type CustomerRow, type ListFilter, whereOf } from './customers.repo.ts';
import { searchFilter } from './search.ts';

/**
 * Customers for an export, page by page in (created_at, id) order with a keyset cursor: the actor's scope and
 * the list filters apply, and a large export never becomes one giant query. Authorization and auditing are the
 * caller's (the export use case); this only reads.
 */
export type ExportFilter = Pick<
  ListFilter,
  'q' | 'kind' | 'memberLevel' | 'sourceChannel' | 'ownerId' | 'teamId' | 'tag'
>;

/** Oldest first, exact to the microsecond (rows of one import batch share a millisecond). */
const EXPORT_SORT = sortOf('customers:export', [{ sql: 'c.created_at', type: 'timestamptz' }], 'c.id');

export function makeExportPages(db: Db) {
  return {
    customFieldDefs: (ctx: Ctx) => activeDefs(db, ctx.orgId, 'customer'),

    async *pages(ctx: Ctx, query: ExportFilter, pageSize = 1000): AsyncGenerator<CustomerRow[]> {
      for (const k of ['ownerId', 'teamId'] as const) {
        const v = query[k];
        if (v && v !== 'none' && !isUuid(v)) return;
      }
      const filter: ListFilter = { ...query, ...searchFilter(query.q) };
      let cursor: string | undefined;
      for (;;) {
        const params: unknown[] = [];
        const where = whereOf(ctx.orgId, customerScope(ctx), filter, params);
        const page = await fetchPage<CustomerRow>(
          db,
          EXPORT_SORT,
          { limit: pageSize, cursor },
          params,
          (k) => `SELECT c.*, ${k.columns} FROM customers c WHERE ${where} AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
        );
        if (page.items.length) yield page.items;
        if (!page.nextCursor) return;
        cursor = page.nextCursor;
        await yieldToEventLoop();
      }
    },
  };
}

export type ExportPages = ReturnType<typeof makeExportPages>;
