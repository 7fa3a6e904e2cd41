import { type Ctx, can } from '../../platform/context.ts';
import { AppError } from '../../platform/http/errors.ts';

/**
 * Import and export actions → the permission each needs (supervisors, managers and admins import; every role
 * exports the customers it sees). An import is its org's: whoever may import sees its progress and error report.
 */
export const importsPolicy = {
  'import.upload': 'customer.import',
  'import.start': 'customer.import',
  'import.view': 'customer.import',
  'export.customers': 'customer.export',
} as const satisfies Record<string, string | null>;

export type ImportsAction = keyof typeof importsPolicy;

export function allowed(ctx: Ctx, action: ImportsAction): boolean {
  const permission = importsPolicy[action];
  return permission === null || can(ctx.actor, permission);
}

export function authorize(ctx: Ctx, action: ImportsAction): void {
  if (!allowed(ctx, action)) throw new AppError('forbidden');
}

/** Exports carry phone numbers only for customer.export.pii; without it the columns are left out, not masked. */
export function exportsPii(ctx: Ctx): boolean {
  return can(ctx.actor, 'customer.export.pii');
}
