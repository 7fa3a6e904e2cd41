import type { Ctx } from '../../platform/context.ts';
import { type Db, yieldToEventLoop } from '../../platform/db/db.ts';
import { isUuid } from '../../platform/http/errors.ts';
import { activeDefs } from './custom-fields.ts';
import { customerScope, seesField } from './customers.policy.ts';
import { type CustomerRow, customersRepo, type ListFilter } from './customers.repo.ts';
import type { CustomersCore } from './customers.service.ts';
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

export function makeExportPages(db: Db, core: CustomersCore) {
  return {
    customFieldDefs: (ctx: Ctx) => activeDefs(db, ctx.orgId, 'customer'),

    async *pages(ctx: Ctx, query: ExportFilter, pageSize = 1000): AsyncGenerator<CustomerRow[]> {
      for (const k of ['ownerId', 'teamId'] as const) {
        const v = query[k];
        if (v && v !== 'none' && !isUuid(v)) return;
      }
      const filter: ListFilter = {
        ...query,
        ...searchFilter(query.q, { mobileDigits: seesField(ctx, 'mobile') }),
      };
      // An export by a full mobile or email the caller sees masked is a lookup like the list's: counted, audited.
      const lookup = core.maskedLookup(ctx, filter);
      if (lookup) await core.countLookup(ctx);
      let cursor: string | undefined;
      for (;;) {
        const page = await customersRepo.exportPage(db, ctx.orgId, customerScope(ctx), filter, {
          limit: pageSize,
          cursor,
        });
        if (lookup && page.items.length) await core.auditLookup(ctx, lookup, page.items);
        if (page.items.length) yield page.items;
        if (!page.nextCursor) return;
        cursor = page.nextCursor;
        await yieldToEventLoop();
      }
    },
  };
}

export type ExportPages = ReturnType<typeof makeExportPages>;
