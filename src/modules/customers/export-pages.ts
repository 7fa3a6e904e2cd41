import type { Ctx } from '../../platform/context.ts';
import { type Db, yieldToEventLoop } from '../../platform/db/db.ts';
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

export function makeExportPages(db: Db) {
  return {
    customFieldDefs: (ctx: Ctx) => activeDefs(db, ctx.orgId, 'customer'),

    async *pages(ctx: Ctx, query: ExportFilter, pageSize = 1000): AsyncGenerator<CustomerRow[]> {
      for (const k of ['ownerId', 'teamId'] as const) {
        const v = query[k];
        if (v && v !== 'none' && !isUuid(v)) return;
      }
      const filter: ListFilter = { ...query, ...searchFilter(query.q) };
      // The cursor keeps created_at as text: a JS Date would drop the microseconds rows of one batch share.
      let after: [string, string] | null = null;
      for (;;) {
        const params: unknown[] = [];
        let where = whereOf(ctx.orgId, customerScope(ctx), filter, params);
        if (after) {
          params.push(after[0], after[1]);
          where += ` AND (c.created_at, c.id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
        }
        params.push(pageSize);
        const rows = (
          await db.query<CustomerRow & { cursor_at: string }>(
            `SELECT c.*, c.created_at::text AS cursor_at FROM customers c WHERE ${where} ORDER BY c.created_at, c.id LIMIT $${params.length}`,
            params,
          )
        ).rows;
        if (!rows.length) return;
        yield rows;
        if (rows.length < pageSize) return;
        const last = rows[rows.length - 1];
        after = [last.cursor_at, last.id];
        await yieldToEventLoop();
      }
    },
  };
}

export type ExportPages = ReturnType<typeof makeExportPages>;
