import { type Ctx, can } from '../../platform/context.ts';
import { AppError } from '../../platform/http/errors.ts';

/**
 * Customer actions → the permission each needs. `null` means any signed-in member of the org.
 * Which rows an actor sees is `customerScope` below: agents and supervisors see customers they own or that
 * belong to one of their teams; roles with customer.scope.all (manager, admin, finance) see all.
 */
export const customersPolicy = {
  'customer.list': 'customer.read',
  'customer.view': 'customer.read',
  'customer.create': 'customer.create',
  'customer.update': 'customer.update',
  'customer.delete': 'customer.delete',
  'customer.merge': 'customer.merge',
  'customer.assign': 'customer.assign',
  'customer.reveal': 'customer.pii.reveal',
  'activity.create': 'activity.create',
  'contact.create': 'customer.update',
  'contact.update': 'customer.update',
  'contact.delete': 'customer.update',
  'customfield.list': null,
  'customfield.manage': 'customfield.manage',
} as const satisfies Record<string, string | null>;

export type CustomersAction = keyof typeof customersPolicy;

export function allowed(ctx: Ctx, action: CustomersAction): boolean {
  const permission = customersPolicy[action];
  return permission === null || can(ctx.actor, permission);
}

export function authorize(ctx: Ctx, action: CustomersAction): void {
  if (!allowed(ctx, action)) throw new AppError('forbidden');
}

export type CustomerScope =
  | { all: true }
  | { all: false; userId: string | null; teamIds: readonly string[]; unassigned: boolean };

/** Those who assign customers (customer.assign) also see the unassigned pool they assign from. */
export function customerScope(ctx: Ctx): CustomerScope {
  if (can(ctx.actor, 'customer.scope.all')) return { all: true };
  return {
    all: false,
    userId: ctx.actor.userId,
    teamIds: ctx.actor.teamIds,
    unassigned: can(ctx.actor, 'customer.assign'),
  };
}

/** Whether phone numbers are shown in full. Others see them masked and may reveal one with a reason. */
export function seesPii(ctx: Ctx): boolean {
  return can(ctx.actor, 'customer.pii.read');
}

/**
 * Personal fields, each with its own view permission `customer.field.<name>.view`; `customer.pii.read` sees
 * them all in full. Without either, the field leaves the server masked (get, list, search, duplicates,
 * contacts, exports, the audit view) and the caller may reveal it with a reason (customer.pii.reveal).
 * Built-in defaults: agents and finance see all six masked; supervisors, managers and admins see them in full.
 * Admins give a custom role single fields (e.g. email but not mobile) on the roles page.
 */
export const MASKABLE_FIELDS = ['mobile', 'phone', 'email', 'address', 'birthday', 'idNumber'] as const;
export type MaskableField = (typeof MASKABLE_FIELDS)[number];

export function seesField(ctx: Ctx, field: MaskableField): boolean {
  return can(ctx.actor, 'customer.pii.read') || can(ctx.actor, `customer.field.${field}.view`);
}

/** The fields this caller sees masked. */
export function maskedFields(ctx: Ctx): Set<MaskableField> {
  return new Set(MASKABLE_FIELDS.filter((f) => !seesField(ctx, f)));
}
