import { type Ctx, can } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/db.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { IdentityService } from '../identity/index.ts';

/** Seeing (and working) the tasks and promises of one's teams. */
export const TEAM = 'task.read.team';

/**
 * Work actions → the permission each needs. One's own tasks, promises, cadence runs and day need none; the
 * work of others needs task.read.team, and then workScope() below says whose (a supervisor's teams, or all).
 */
export const tasksPolicy = {
  'work.team': TEAM,
  'myday.team': TEAM,
  'cadence.template.create': TEAM,
  /** Task types and their outcome codes: an admin's setting, like process definitions. */
  'task.type.manage': 'process.manage',
} as const satisfies Record<string, string | null>;

export type TasksAction = keyof typeof tasksPolicy;

export function allowed(ctx: Ctx, action: TasksAction): boolean {
  const permission = tasksPolicy[action];
  return permission === null || can(ctx.actor, permission);
}

export function authorize(ctx: Ctx, action: TasksAction): void {
  if (!allowed(ctx, action)) throw new AppError('forbidden');
}

/**
 * Whose tasks and promises an actor sees and may edit:
 * - everyone: their own;
 * - task.read.team (supervisors): also those of the members of their teams;
 * - task.read.team together with customer.scope.all (managers), or '*' (admins): everyone's.
 */
export type WorkScope =
  | { all: true; self: string | null }
  | { all: false; self: string | null; userIds: ReadonlySet<string> };

export function seesAllWork(ctx: Ctx): boolean {
  return can(ctx.actor, '*') || (can(ctx.actor, TEAM) && can(ctx.actor, 'customer.scope.all'));
}

export async function workScope(
  ctx: Ctx,
  identity: Pick<IdentityService, 'teamMemberIds'> | undefined,
  q?: Queryable,
): Promise<WorkScope> {
  const self = ctx.actor.userId;
  if (seesAllWork(ctx)) return { all: true, self };
  const ids = new Set<string>(self ? [self] : []);
  if (can(ctx.actor, TEAM) && identity) {
    for (const id of await identity.teamMemberIds(ctx.orgId, ctx.actor.teamIds, q)) ids.add(id);
  }
  return { all: false, self, userIds: ids };
}

export function inWorkScope(scope: WorkScope, userId: string | null): boolean {
  if (scope.all) return true;
  return !!userId && scope.userIds.has(userId);
}
