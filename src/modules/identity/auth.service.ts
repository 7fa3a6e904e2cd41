import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit.ts';
import {
  dummyPasswordHash,
  hashSecret,
  randomToken,
  safeEqual,
  verifyPassword,
} from '../../platform/auth/crypto.ts';
import type { Actor, Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/db.ts';
import { fetchPage, type PageRequest, sortOf } from '../../platform/db/paging.ts';
import { AppError, assertId, notFound } from '../../platform/http/errors.ts';
import { identityRepo as repo, type UserWithRole } from './identity.repo.ts';

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

const TOKENS_SORT = sortOf('tokens', [{ sql: 't.created_at', type: 'timestamptz', desc: true }], 't.id');

export function makeAuthService(db: Db, settings: AuthSettings) {
  return {
    /**
     * Password login. Failed attempts count per account; past the limit the account is locked for a while,
     * even for the right password. Unknown emails cost the same time as known ones.
     */
    async login(input: { email: string; password: string; org?: string; ip?: string; userAgent?: string }) {
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
      let locked: UserWithRole | undefined;
      const failed: UserWithRole[] = [];
      for (const u of candidates) {
        if (u.locked_until && u.locked_until.getTime() > now) {
          locked = u;
          continue;
        }
        if (await verifyPassword(u.password_hash, input.password)) {
          matched = u;
          break;
        }
        failed.push(u);
      }
      if (!matched) {
        // Failures count only when no account with this email accepted the password: a successful login to one
        // org must not count against (and eventually lock) a same-email account in another org.
        for (const u of failed) {
          const r = await repo.recordLoginFailure(
            db,
            u.org_id,
            u.id,
            settings.loginMaxFailures,
            settings.loginLockMinutes,
          );
          if (r?.locked_until && r.locked_until.getTime() > now) locked = u;
        }
        if (locked) throw new AppError('account_locked', { vars: { minutes: settings.loginLockMinutes } });
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
        await tx.query(
          `INSERT INTO sessions (org_id, id, user_id, token_hash, csrf_token, ip, user_agent, expires_at)
           VALUES ($1,$2,$3,$4,$5,$6,$7, now() + make_interval(days => $8))`,
          [
            matched.org_id,
            sessionId,
            matched.id,
            hashSecret(secret),
            csrfToken,
            input.ip ?? null,
            input.userAgent ?? null,
            settings.sessionDays,
          ],
        );
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
    async authenticate(
      cred: Credentials,
    ): Promise<{ ctx: Omit<Ctx, 'locale' | 'requestId'>; csrfToken?: string; user: UserWithRole } | null> {
      const h = hashSecret(cred.secret);
      // One query per request: the secret's row joined with its user, role and teams.
      if (cred.kind === 'session') {
        const row = await repo.userBySessionHash(db, h);
        if (!row || row.status !== 'active') return null;
        const { s_id, s_csrf_token, s_last_seen_at, ...u } = row;
        if (Date.now() - new Date(s_last_seen_at).getTime() > 60_000) {
          await db.query('UPDATE sessions SET last_seen_at = now() WHERE org_id = $1 AND id = $2', [
            u.org_id,
            s_id,
          ]);
        }
        return {
          ctx: { orgId: u.org_id, actor: actorOf(u, 'session', s_id) },
          csrfToken: s_csrf_token,
          user: u,
        };
      }
      const row = await repo.userByTokenHash(db, h);
      if (!row || row.status !== 'active') return null;
      const { t_id, t_last_used_at, ...u } = row;
      if (!t_last_used_at || Date.now() - new Date(t_last_used_at).getTime() > 60_000) {
        await db.query('UPDATE api_tokens SET last_used_at = now() WHERE org_id = $1 AND id = $2', [
          u.org_id,
          t_id,
        ]);
      }
      return { ctx: { orgId: u.org_id, actor: actorOf(u, 'token') }, user: u };
    },

    checkCsrf(expected: string | undefined, given: string | undefined): boolean {
      return !!expected && !!given && safeEqual(expected, given);
    },

    async logout(ctx: Ctx) {
      if (!ctx.actor.sessionId) return;
      await db.transaction(async (tx) => {
        await tx.query('UPDATE sessions SET revoked_at = now() WHERE org_id = $1 AND id = $2', [
          ctx.orgId,
          ctx.actor.sessionId,
        ]);
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

    /** A personal API token. The secret is shown once; only its hash is kept. */
    async createToken(ctx: Ctx, input: { name: string; expiresInDays?: number }) {
      const userId = ctx.actor.userId;
      if (!userId) throw new AppError('forbidden');
      const secret = `${TOKEN_PREFIX}${randomToken(30)}`;
      const id = randomUUID();
      const row = await db.transaction(async (tx) => {
        const r = (
          await tx.query<TokenRow>(
            `INSERT INTO api_tokens (org_id, id, user_id, name, prefix, token_hash, expires_at)
             VALUES ($1,$2,$3,$4,$5,$6, CASE WHEN $7::int IS NULL THEN NULL ELSE now() + make_interval(days => $7::int) END)
             RETURNING id, name, prefix, created_at, last_used_at, expires_at, revoked_at`,
            [
              ctx.orgId,
              id,
              userId,
              input.name,
              secret.slice(0, 10),
              hashSecret(secret),
              input.expiresInDays ?? null,
            ],
          )
        ).rows[0];
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
      return fetchPage<TokenRow>(
        db,
        TOKENS_SORT,
        page,
        [ctx.orgId, ctx.actor.userId],
        (k) =>
          `SELECT t.id, t.name, t.prefix, t.created_at, t.last_used_at, t.expires_at, t.revoked_at, ${k.columns} FROM api_tokens t
           WHERE t.org_id = $1 AND t.user_id = $2 AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
      );
    },

    async revokeToken(ctx: Ctx, id: string) {
      await db.transaction(async (tx) => {
        const r = await tx.query(
          `UPDATE api_tokens SET revoked_at = now() WHERE org_id = $1 AND id = $2 AND user_id = $3 AND revoked_at IS NULL RETURNING id`,
          [ctx.orgId, assertId(id), ctx.actor.userId],
        );
        if (!r.rowCount) throw notFound();
        await recordAudit(tx, ctx, { action: 'token.revoke', entityType: 'api_token', entityId: id });
      });
    },
  };
}

export interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}

export type AuthService = ReturnType<typeof makeAuthService>;
