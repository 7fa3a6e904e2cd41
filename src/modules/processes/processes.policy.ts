import { type Ctx, can } from '../../platform/context.ts';
import { AppError } from '../../platform/http/errors.ts';

/**
 * Process actions → the permission each needs. `null` means any signed-in member of the org; then the row scope
 * decides: an instance is seen (started, moved, sent events) by whoever sees its record (the record registry's
 * `visible`), and the functions below say which transitions and approvals are the actor's.
 */
export const processesPolicy = {
  'definition.list': null,
  'definition.view': null,
  'definition.validate': null,
  'definition.create': 'process.manage',
  'definition.draft': 'process.manage',
  'definition.publish': 'process.manage',
  'instance.start': null,
  'instance.view': null,
  'instance.transition': null,
  'instance.event': null,
  'approval.list': null,
  'approval.decide': null,
} as const satisfies Record<string, string | null>;

export type ProcessesAction = keyof typeof processesPolicy;

export function allowed(ctx: Ctx, action: ProcessesAction): boolean {
  const permission = processesPolicy[action];
  return permission === null || can(ctx.actor, permission);
}

export function authorize(ctx: Ctx, action: ProcessesAction): void {
  if (!allowed(ctx, action)) throw new AppError('forbidden');
}

/** A transition limited to roles is the actor's when they hold one of them; admins ('*') take any. */
export function mayTakeTransition(ctx: Ctx, t: { roles?: string[] }): boolean {
  return !t.roles || t.roles.includes(ctx.actor.roleKey) || can(ctx.actor, '*');
}

/** Whose approvals the actor is asked for: those of their role; admins ('*') see all (null). */
export function approverRoleScope(ctx: Ctx): string | null {
  return can(ctx.actor, '*') ? null : ctx.actor.roleKey;
}

/** An approval step is decided by its approver role; admins ('*') decide any. */
export function mayDecide(ctx: Ctx, approval: { approver_role: string }): boolean {
  return approval.approver_role === ctx.actor.roleKey || can(ctx.actor, '*');
}
