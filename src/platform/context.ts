import type { Locale } from './i18n/i18n.ts';

/** Who is acting. Built by the identity module from a session, an API token, or the system (CLI, jobs). */
export interface Actor {
  type: 'user' | 'system';
  userId: string | null;
  name: string;
  roleKey: string;
  permissions: ReadonlySet<string>;
  teamIds: readonly string[];
  via: 'session' | 'token' | 'system';
  sessionId?: string;
}

/** Everything a service needs to know about the request it serves. Services never see HTTP. */
export interface Ctx {
  orgId: string;
  actor: Actor;
  requestId: string;
  locale: Locale;
  /** Set by event consumers: events emitted while handling an event of depth n get depth n + 1. */
  eventDepth?: number;
}

export function systemCtx(
  orgId: string,
  opts: { locale?: Locale; requestId?: string; name?: string } = {},
): Ctx {
  return {
    orgId,
    locale: opts.locale ?? 'zh-CN',
    requestId: opts.requestId ?? `cli-${Date.now().toString(36)}`,
    actor: {
      type: 'system',
      userId: null,
      name: opts.name ?? 'system',
      roleKey: 'system',
      permissions: new Set(['*']),
      teamIds: [],
      via: 'system',
    },
  };
}

export function can(actor: Actor, permission: string): boolean {
  return actor.permissions.has('*') || actor.permissions.has(permission);
}
