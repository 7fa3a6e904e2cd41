import { type Ctx, can } from '../../platform/context.ts';
import { AppError } from '../../platform/http/errors.ts';

/** Calendar actions → the permission each needs. `null`: any signed-in member of the org. */
export const calendarPolicy = {
  'calendar.read': null,
  'calendar.manage': 'calendar.manage',
} as const satisfies Record<string, string | null>;

export type CalendarAction = keyof typeof calendarPolicy;

export function allowed(ctx: Ctx, action: CalendarAction): boolean {
  const permission = calendarPolicy[action];
  return permission === null || can(ctx.actor, permission);
}

export function authorize(ctx: Ctx, action: CalendarAction): void {
  if (!allowed(ctx, action)) throw new AppError('forbidden');
}
