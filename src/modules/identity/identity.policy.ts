import { type Ctx, can } from '../../platform/context.ts';
import { AppError } from '../../platform/http/errors.ts';

/** Who may do what in identity administration: action → permission. Tested as a role table. */
export const identityPolicy = {
  'user.list': 'user.manage',
  'user.view': 'user.manage',
  'user.create': 'user.manage',
  'user.update': 'user.manage',
  // Any signed-in member sees the teams (owner and assignment pickers).
  'team.list': null,
  'team.create': 'team.manage',
  'team.update': 'team.manage',
  'role.list': 'role.manage',
  'role.create': 'role.manage',
  'role.update': 'role.manage',
  'role.delete': 'role.manage',
} as const satisfies Record<string, string | null>;

export type IdentityAction = keyof typeof identityPolicy;

export function allowed(ctx: Ctx, action: IdentityAction): boolean {
  const permission = identityPolicy[action];
  return permission === null || can(ctx.actor, permission);
}

export function authorize(ctx: Ctx, action: IdentityAction): void {
  if (!allowed(ctx, action)) throw new AppError('forbidden');
}

/**
 * Granting rules: nobody grants what they do not hold. The permissions of `wanted` the actor lacks ('*' is held
 * only by holders of '*'); empty when the actor may grant them all.
 */
export function permissionsNotHeld(ctx: Ctx, wanted: readonly string[]): string[] {
  return [...new Set(wanted)].filter((p) => !can(ctx.actor, p));
}

/**
 * Managing a user or a role that holds permissions the actor lacks (resetting an administrator's password,
 * stripping a stronger role) would be an escalation too: 403, with the reason named.
 */
export function authorizeOver(ctx: Ctx, theirPermissions: readonly string[], field: string): void {
  if (permissionsNotHeld(ctx, theirPermissions).length)
    throw new AppError('forbidden', { fields: { [field]: { key: 'validation.outranks_you' } } });
}
