import { registerColumnsAddedLater } from '../../platform/audit/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/db.ts';
import { assertId, notFound } from '../../platform/http/errors.ts';
import { authorize, customerScope } from './customers.policy.ts';
import { customersRepo as repo } from './customers.repo.ts';

// customers.quiet_hours came with migration 0003: rows audited before it must still verify.
registerColumnsAddedLater('customer', ['quiet_hours']);

/**
 * A customer's own quiet hours ([["12:00","14:00"],["21:00","09:00"]]) or null for the org default, for the
 * calendar's contact slots. The customer must be one the actor may see: other ids are 404.
 */
export async function customerQuietHours(
  q: Queryable,
  ctx: Ctx,
  customerId: string,
): Promise<Array<[string, string]> | null> {
  authorize(ctx, 'customer.view');
  const row = await repo.visibleById(q, ctx.orgId, customerScope(ctx), assertId(customerId));
  if (!row) throw notFound();
  const quiet = (row as unknown as { quiet_hours?: unknown }).quiet_hours;
  return Array.isArray(quiet) && quiet.length ? (quiet as Array<[string, string]>) : null;
}
