import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit.ts';
import {
  dummyPasswordHash,
  hashPassword,
  hashSecret,
  randomToken,
  safeEqual,
  verifyPassword,
} from '../../platform/auth/crypto.ts';
import { passwordProblem } from '../../platform/auth/password-policy.ts';
import type { Actor, Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/db.ts';
import type { PageRequest } from '../../platform/db/paging.ts';
import { AppError, assertId, fieldError, notFound } from '../../platform/http/errors.ts';
import type { Locale } from '../../platform/i18n/i18n.ts';
import { authRepo } from './auth.repo.ts';
import { cachedAuth, identityChanged } from './auth-cache.ts';
import { identityRepo as repo, type UserWithRole } from './identity.repo.ts';

export type { TokenRow } from './auth.repo.ts';

export const SESSION_COOKIE = 'kept_session';
export const TOKEN_PREFIX = 'kept_';

export interface AuthSettings {
  sessionDays: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
}

export interface Credentials {
  kind: 'session' | 'token';
  secret: string;
}

export function actorOf(u: UserWithRole, via: Actor['via'], sessionId?: string): Actor {
  return {
    type: 'user',
    userId: u.id,
    name: u.name,
    roleKey: u.role_key,
    permissions: new Set(u.permissions),
    teamIds: u.team_ids,
    via,
    sessionId,
  };
}

/** The users row of a user read with its role and teams (what the audit trail hashes). */
function userRowOf(u: UserWithRole) {
  const { team_ids: _t, role_key: _k, role_name: _n, permissions: _p, ...row } = u;
  return row;
}

export function makeAuthService(db: Db, settings: AuthSettings) {
  /** The secret's row joined with its user, role and teams: one query. */
  async function lookup(cred: Credentials): Promise<{
    ctx: Omit<Ctx, 'locale' | 'requestId'>;
    csrfToken?: string;
    user: UserWithRole;
    expiresAt: Date | null;
  } | null> {
    const h = hashSecret(cred.secret);
    // One query per request: the secret's row joined with its user, role and teams.
    if (cred.kind === 'session') {
      const row = await repo.userBySessionHash(db, h);
      if (!row || row.status !== 'active') return null;
      const { s_id, s_csrf_token, s_last_seen_at, s_expires_at, ...u } = row;
      if (Date.now() - new Date(s_last_seen_at).getTime() > 60_000) {
        await authRepo.touchSession(db, u.org_id, s_id);
      }
      return {
        ctx: { orgId: u.org_id, actor: actorOf(u, 'session', s_id) },
        csrfToken: s_csrf_token,
        user: u,
        expiresAt: s_expires_at,
      };
    }
    const row = await repo.userByTokenHash(db, h);
    if (!row || row.status !== 'active') return null;
    const { t_id, t_last_used_at, t_expires_at, ...u } = row;
    if (!t_last_used_at || Date.now() - new Date(t_last_used_at).getTime() > 60_000) {
      await authRepo.touchToken(db, u.org_id, t_id);
    }
    return { ctx: { orgId: u.org_id, actor: actorOf(u, 'token') }, user: u, expiresAt: t_expires_at };
  }

  return {
    /**
     * Password login. Failed attempts count per account; past the limit the account is locked for a while,
     * even for the right password. An unknown email, a wrong password and a locked account answer alike (401
     * invalid_credentials, same body) and cost the same time (a password hash is always verified), so login
     * tells nobody which emails exist or are locked.
     */
    async login(input: {
      email: string;
      password: string;
      org?: string;
      ip?: string;
      userAgent?: string;
      /** The browser's language (Accept-Language): saved as the user's language at their first login. */
      locale?: Locale;
    }) {
      let candidates = await repo.usersByEmailAnyOrg(db, input.email.trim());
      if (input.org) {
        const org = await repo.orgBySlug(db, input.org);
        candidates = candidates.filter((u) => u.org_id === org?.org_id);
      }
      if (!candidates.length) {
        await verifyPassword(await dummyPasswordHash(), input.password);
        throw new AppError('invalid_credentials');
      }
      const now = Date.now();
      let matched: UserWithRole | undefined;
      const failed: UserWithRole[] = [];
      for (const u of candidates) {
        const locked = !!u.locked_until && u.locked_until.getTime() > now;
        // A locked account still costs its hash: answering faster would tell it apart.
        const ok = await verifyPassword(u.password_hash, input.password);
        if (locked) continue;
        if (ok) {
          matched = u;
          break;
        }
        failed.push(u);
      }
      if (!matched) {
        // Failures count only when no account with this email accepted the password: a successful login to one
        // org must not count against (and eventually lock) a same-email account in another org.
        for (const u of failed) {
          await repo.recordLoginFailure(
            db,
            u.org_id,
            u.id,
            settings.loginMaxFailures,
            settings.loginLockMinutes,
          );
        }
        throw new AppError('invalid_credentials');
      }
      if (matched.status !== 'active') throw new AppError('user_disabled');
      const secret = randomToken();
      const csrfToken = randomToken(24);
      const sessionId = randomUUID();
      const actor = actorOf(matched, 'session', sessionId);
      const ctx: Ctx = { orgId: matched.org_id, actor, requestId: `login-${sessionId}`, locale: 'zh-CN' };
      await db.transaction(async (tx) => {
        await repo.recordLoginSuccess(tx, matched.org_id, matched.id);
        if (!matched.locale && input.locale) {
          // The first login saves the browser's language on the user (audited like any change of the row).
          const before = await repo.userById(tx, matched.org_id, matched.id);
          await authRepo.setLocaleIfUnset(tx, matched.org_id, matched.id, input.locale);
          const after = await repo.userById(tx, matched.org_id, matched.id);
          if (before && after && before.locale !== after.locale)
            await recordAudit(tx, ctx, {
              action: 'user.locale_default',
              entityType: 'user',
              entityId: matched.id,
              before: userRowOf(before),
              after: userRowOf(after),
            });
          matched.locale = input.locale;
        }
        await authRepo.insertSession(tx, {
          orgId: matched.org_id,
          id: sessionId,
          userId: matched.id,
          tokenHash: hashSecret(secret),
          csrfToken,
          ip: input.ip ?? null,
          userAgent: input.userAgent ?? null,
          days: settings.sessionDays,
        });
        await recordAudit(tx, ctx, {
          action: 'auth.login',
          entityType: 'session',
          entityId: sessionId,
          meta: { ip: input.ip ?? null },
        });
      });
      const org = (await repo.orgById(db, matched.org_id))!;
      return { secret, csrfToken, user: matched, org };
    },

    /** Resolves credentials to a context, or null. Disabled users, revoked or expired secrets resolve to null. */
    async authenticate(cred: Credentials) {
      return cachedAuth(`${cred.kind}:${hashSecret(cred.secret)}`, () => lookup(cred));
    },

    checkCsrf(expected: string | undefined, given: string | undefined): boolean {
      return !!expected && !!given && safeEqual(expected, given);
    },

    async logout(ctx: Ctx) {
      if (!ctx.actor.sessionId) return;
      await db.transaction(async (tx) => {
        identityChanged(tx);
        await authRepo.revokeSession(tx, ctx.orgId, ctx.actor.sessionId);
        await recordAudit(tx, ctx, {
          action: 'auth.logout',
          entityType: 'session',
          entityId: ctx.actor.sessionId ?? null,
        });
      });
    },

    async me(ctx: Ctx) {
      const user = await repo.userById(db, ctx.orgId, ctx.actor.userId ?? '');
      const org = await repo.orgById(db, ctx.orgId);
      if (!user || !org) throw notFound();
      return { user, org };
    },

    /** The signed-in user's own settings (language, display name); any member may change their own. */
    async updateMe(ctx: Ctx, patch: { name?: string; locale?: Locale | null }) {
      const userId = ctx.actor.userId;
      if (!userId) throw new AppError('forbidden');
      await db.transaction(async (tx) => {
        identityChanged(tx);
        const before = await repo.userById(tx, ctx.orgId, userId);
        if (!before) throw notFound();
        await authRepo.updateOwnProfile(tx, ctx.orgId, userId, {
          name: patch.name ?? before.name,
          locale: patch.locale === undefined ? before.locale : patch.locale,
        });
        const after = (await repo.userById(tx, ctx.orgId, userId))!;
        await recordAudit(tx, ctx, {
          action: 'user.update_self',
          entityType: 'user',
          entityId: userId,
          before: userRowOf(before),
          after: userRowOf(after),
        });
      });
      const user = (await repo.userById(db, ctx.orgId, userId))!;
      const org = (await repo.orgById(db, ctx.orgId))!;
      return { user, org };
    },

    /**
     * Changes the signed-in user's password: the current one is required, the new one meets the policy, every
     * other session of the user ends (this one stays signed in), and the change is audited.
     */
    async changePassword(ctx: Ctx, input: { currentPassword: string; newPassword: string }) {
      const userId = ctx.actor.userId;
      if (!userId) throw new AppError('forbidden');
      const user = await repo.userById(db, ctx.orgId, userId);
      if (!user) throw notFound();
      if (!(await verifyPassword(user.password_hash, input.currentPassword)))
        throw fieldError('currentPassword', 'validation.current_password');
      const problem = passwordProblem(input.newPassword, { email: user.email });
      if (problem) throw fieldError('newPassword', problem);
      if (input.newPassword === input.currentPassword)
        throw fieldError('newPassword', 'validation.password_same');
      const passwordHash = await hashPassword(input.newPassword);
      return db.transaction(async (tx) => {
        identityChanged(tx);
        const before = await repo.userById(tx, ctx.orgId, userId);
        if (!before) throw notFound();
        await authRepo.setPasswordHash(tx, ctx.orgId, userId, passwordHash);
        const revoked = await authRepo.revokeOtherSessionsOfUser(
          tx,
          ctx.orgId,
          userId,
          ctx.actor.sessionId ?? null,
        );
        const after = (await repo.userById(tx, ctx.orgId, userId))!;
        await recordAudit(tx, ctx, {
          action: 'user.password_change',
          entityType: 'user',
          entityId: userId,
          before: userRowOf(before),
          after: userRowOf(after),
          meta: { passwordChanged: true, otherSessionsRevoked: revoked },
        });
        return { otherSessionsRevoked: revoked };
      });
    },

    /**
     * Sets a user's password as the operator (`kept user set-password`): the policy applies, every session of
     * the user ends, the account is unlocked, and the change is audited as the system.
     */
    async setPassword(ctx: Ctx, email: string, password: string) {
      const found = await repo.userByEmail(db, ctx.orgId, email.trim());
      if (!found) throw new AppError('not_found');
      const user = (await repo.userById(db, ctx.orgId, found.id))!;
      const problem = passwordProblem(password, { email: user.email });
      if (problem) throw fieldError('password', problem);
      const passwordHash = await hashPassword(password);
      return db.transaction(async (tx) => {
        identityChanged(tx);
        const before = (await repo.userById(tx, ctx.orgId, user.id))!;
        await authRepo.setPasswordHash(tx, ctx.orgId, user.id, passwordHash);
        const revoked = await authRepo.revokeOtherSessionsOfUser(tx, ctx.orgId, user.id, null);
        const after = (await repo.userById(tx, ctx.orgId, user.id))!;
        await recordAudit(tx, ctx, {
          action: 'user.password_set',
          entityType: 'user',
          entityId: user.id,
          before: userRowOf(before),
          after: userRowOf(after),
          meta: { passwordChanged: true, sessionsRevoked: revoked },
        });
        return { email: user.email, sessionsRevoked: revoked };
      });
    },

    /** A personal API token. The secret is shown once; only its hash is kept. */
    async createToken(ctx: Ctx, input: { name: string; expiresInDays?: number }) {
      const userId = ctx.actor.userId;
      if (!userId) throw new AppError('forbidden');
      const secret = `${TOKEN_PREFIX}${randomToken(30)}`;
      const id = randomUUID();
      const row = await db.transaction(async (tx) => {
        const r = await authRepo.insertToken(tx, {
          orgId: ctx.orgId,
          id,
          userId,
          name: input.name,
          prefix: secret.slice(0, 10),
          tokenHash: hashSecret(secret),
          expiresInDays: input.expiresInDays ?? null,
        });
        await recordAudit(tx, ctx, {
          action: 'token.create',
          entityType: 'api_token',
          entityId: id,
          meta: { name: input.name, prefix: r.prefix },
        });
        return r;
      });
      return { ...row, token: secret };
    },

    async listTokens(ctx: Ctx, page: PageRequest) {
      return authRepo.tokensPage(db, ctx.orgId, ctx.actor.userId, page);
    },

    async revokeToken(ctx: Ctx, id: string) {
      await db.transaction(async (tx) => {
        identityChanged(tx);
        if (!(await authRepo.revokeToken(tx, ctx.orgId, assertId(id), ctx.actor.userId))) throw notFound();
        await recordAudit(tx, ctx, { action: 'token.revoke', entityType: 'api_token', entityId: id });
      });
    },
  };
}

export type AuthService = ReturnType<typeof makeAuthService>;
