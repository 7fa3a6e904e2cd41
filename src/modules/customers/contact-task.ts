import type { Ctx } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/db.ts';
import { type Locale, t } from '../../platform/i18n/i18n.ts';
import type { UserWithRole } from '../identity/index.ts';
import type { TasksService } from '../tasks/index.ts';

export const CONTACT_TASK_KIND = 'contact_new_customer';
export const CONTACT_WITHIN_DAYS = 7;

/**
 * P1: the owner of a newly assigned customer must contact them within one week. The previous owner's open
 * first-contact task is cancelled. With the process engine wired in (onAssigned), the built-in P1 process runs
 * the rule — its task, its SLA and its escalation; otherwise a plain task is created here.
 */
export async function giveContactTask(
  tx: Tx,
  ctx: Ctx,
  deps: { tasks: TasksService; onAssigned?: (tx: Tx, ctx: Ctx, customer: { id: string; name: string }, owner: UserWithRole) => Promise<void> },
  customer: { id: string; name: string },
  owner: UserWithRole,
) {
  const { tasks } = deps;
  await tasks.cancelOpenInTx(tx, ctx, 'customer', customer.id, CONTACT_TASK_KIND);
  if (deps.onAssigned) return deps.onAssigned(tx, ctx, customer, owner);
  const locale = (owner.locale as Locale | null) ?? ctx.locale;
  return tasks.createInTx(tx, ctx, {
    kind: CONTACT_TASK_KIND,
    title: t(locale, 'tasks.contact_new_customer', { name: customer.name }),
    description: t(locale, 'tasks.contact_new_customer_desc'),
    assigneeId: owner.id,
    dueAt: new Date(Date.now() + CONTACT_WITHIN_DAYS * 86_400_000),
    important: true,
    relatedType: 'customer',
    relatedId: customer.id,
  });
}
