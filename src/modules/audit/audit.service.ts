import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/db.ts';
import type { Page, PageRequest } from '../../platform/db/paging.ts';
import { isUuid } from '../../platform/http/errors.ts';
import { authorize } from './audit.policy.ts';
import { type AuditEventRow, type AuditFilter, auditRepo as repo } from './audit.repo.ts';

/** Reading the audit trail (writing and sealing it is platform code, in every service's transaction). */
export function makeAuditService(db: Db) {
  return {
    /** The org's events, newest first; an id filter that is not a uuid matches nothing. */
    async list(ctx: Ctx, filter: AuditFilter, page: PageRequest): Promise<Page<AuditEventRow>> {
      authorize(ctx, 'audit.list');
      for (const k of ['entityId', 'actorId'] as const) {
        if (filter[k] && !isUuid(filter[k])) return { items: [], nextCursor: null };
      }
      return repo.eventsPage(db, ctx.orgId, filter, page);
    },
  };
}

export type AuditService = ReturnType<typeof makeAuditService>;
