import { type Ctx, can } from '../../platform/context.ts';
import { AppError } from '../../platform/http/errors.ts';

/** Who may read the audit trail: action → permission (managers and admins hold audit.read). Tested as a role table. */
export const auditPolicy = {
  'audit.list': 'audit.read',
} as const satisfies Record<string, string | null>;

export type AuditAction = keyof typeof auditPolicy;

export function allowed(ctx: Ctx, action: AuditAction): boolean {
  const permission = auditPolicy[action];
  return permission === null || can(ctx.actor, permission);
}

export function authorize(ctx: Ctx, action: AuditAction): void {
  if (!allowed(ctx, action)) throw new AppError('forbidden');
}
