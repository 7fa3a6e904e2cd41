import { type Ctx, can } from '../../platform/context.ts';
import { AppError } from '../../platform/http/errors.ts';

/**
 * Notification actions → the permission each needs. `null` means any signed-in user, and then only for their
 * own notifications and preferences (the row scope is the user id).
 */
export const notificationsPolicy = {
  'notification.list': null,
  'notification.read': null,
  'notification.preferences': null,
  'webhook.list': 'webhook.manage',
  'webhook.create': 'webhook.manage',
  'webhook.update': 'webhook.manage',
  'webhook.delete': 'webhook.manage',
  'webhook.deliveries': 'webhook.manage',
  'webhook.test': 'webhook.manage',
  'webhook.settings': 'webhook.manage',
} as const satisfies Record<string, string | null>;

export type NotificationsAction = keyof typeof notificationsPolicy;

export function allowed(ctx: Ctx, action: NotificationsAction): boolean {
  const permission = notificationsPolicy[action];
  return permission === null || can(ctx.actor, permission);
}

export function authorize(ctx: Ctx, action: NotificationsAction): void {
  if (!allowed(ctx, action)) throw new AppError('forbidden');
}

/** Own-notification actions need a user behind the request (the system actor has no inbox). */
export function ownUser(ctx: Ctx, action: NotificationsAction): string {
  authorize(ctx, action);
  if (!ctx.actor.userId) throw new AppError('forbidden');
  return ctx.actor.userId;
}
