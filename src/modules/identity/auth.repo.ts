import type { Queryable } from '../../platform/db/db.ts';
import { fetchPage, type PageRequest, sortOf } from '../../platform/db/paging.ts';

/** An API token as its owner sees it (never the secret or its hash). */
export interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}

const TOKENS_SORT = sortOf('tokens', [{ sql: 't.created_at', type: 'timestamptz', desc: true }], 't.id');

/** Sessions and API tokens. Who they resolve to is identity.repo.ts (userBySessionHash, userByTokenHash). */
export const authRepo = {
  async insertSession(
    q: Queryable,
    s: {
      orgId: string;
      id: string;
      userId: string;
      tokenHash: string;
      csrfToken: string;
      ip: string | null;
      userAgent: string | null;
      days: number;
    },
  ) {
    await q.query(
      `INSERT INTO sessions (org_id, id, user_id, token_hash, csrf_token, ip, user_agent, expires_at)
           VALUES ($1,$2,$3,$4,$5,$6,$7, now() + make_interval(days => $8))`,
      [s.orgId, s.id, s.userId, s.tokenHash, s.csrfToken, s.ip, s.userAgent, s.days],
    );
  },
  async touchSession(q: Queryable, orgId: string, id: string) {
    await q.query('UPDATE sessions SET last_seen_at = now() WHERE org_id = $1 AND id = $2', [orgId, id]);
  },
  async revokeSession(q: Queryable, orgId: string, id: string | undefined) {
    await q.query('UPDATE sessions SET revoked_at = now() WHERE org_id = $1 AND id = $2', [orgId, id]);
  },
  /** Ends every open session of a user. */
  async revokeSessionsOfUser(q: Queryable, orgId: string, userId: string) {
    await q.query(
      'UPDATE sessions SET revoked_at = now() WHERE org_id = $1 AND user_id = $2 AND revoked_at IS NULL',
      [orgId, userId],
    );
  },
  /** Ends every open session of a user but one (the session that changed the password stays signed in). */
  async revokeOtherSessionsOfUser(q: Queryable, orgId: string, userId: string, keepId: string | null) {
    const r = await q.query(
      `UPDATE sessions SET revoked_at = now()
       WHERE org_id = $1 AND user_id = $2 AND revoked_at IS NULL AND id IS DISTINCT FROM $3::uuid`,
      [orgId, userId, keepId],
    );
    return r.rowCount ?? 0;
  },
  /** The user's own settings: language and display name. */
  async updateOwnProfile(
    q: Queryable,
    orgId: string,
    userId: string,
    p: { name: string; locale: string | null },
  ) {
    await q.query(
      `UPDATE users SET name = $3, locale = $4, version = version + 1, updated_at = now()
       WHERE org_id = $1 AND id = $2`,
      [orgId, userId, p.name, p.locale],
    );
  },
  /** Sets a user's language only while none is saved (the first login's Accept-Language). */
  async setLocaleIfUnset(q: Queryable, orgId: string, userId: string, locale: string) {
    await q.query(
      'UPDATE users SET locale = $3, version = version + 1, updated_at = now() WHERE org_id = $1 AND id = $2 AND locale IS NULL',
      [orgId, userId, locale],
    );
  },
  async setPasswordHash(q: Queryable, orgId: string, userId: string, passwordHash: string) {
    await q.query(
      `UPDATE users SET password_hash = $3, failed_logins = 0, locked_until = NULL, version = version + 1,
         updated_at = now() WHERE org_id = $1 AND id = $2`,
      [orgId, userId, passwordHash],
    );
  },
  async insertToken(
    q: Queryable,
    t: {
      orgId: string;
      id: string;
      userId: string;
      name: string;
      prefix: string;
      tokenHash: string;
      expiresInDays: number | null;
    },
  ) {
    return (
      await q.query<TokenRow>(
        `INSERT INTO api_tokens (org_id, id, user_id, name, prefix, token_hash, expires_at)
             VALUES ($1,$2,$3,$4,$5,$6, CASE WHEN $7::int IS NULL THEN NULL ELSE now() + make_interval(days => $7::int) END)
             RETURNING id, name, prefix, created_at, last_used_at, expires_at, revoked_at`,
        [t.orgId, t.id, t.userId, t.name, t.prefix, t.tokenHash, t.expiresInDays],
      )
    ).rows[0];
  },
  async touchToken(q: Queryable, orgId: string, id: string) {
    await q.query('UPDATE api_tokens SET last_used_at = now() WHERE org_id = $1 AND id = $2', [orgId, id]);
  },
  /** One page of a user's tokens, newest first. */
  async tokensPage(q: Queryable, orgId: string, userId: string | null, page: PageRequest) {
    return fetchPage<TokenRow>(
      q,
      TOKENS_SORT,
      page,
      [orgId, userId],
      (k) =>
        `SELECT t.id, t.name, t.prefix, t.created_at, t.last_used_at, t.expires_at, t.revoked_at, ${k.columns} FROM api_tokens t
           WHERE t.org_id = $1 AND t.user_id = $2 AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
    );
  },
  /** Revokes one of the user's live tokens; false when there was none. */
  async revokeToken(q: Queryable, orgId: string, id: string, userId: string | null) {
    const r = await q.query(
      `UPDATE api_tokens SET revoked_at = now() WHERE org_id = $1 AND id = $2 AND user_id = $3 AND revoked_at IS NULL RETURNING id`,
      [orgId, id, userId],
    );
    return r.rowCount > 0;
  },
  /** Revokes every live API token of a user. */
  async revokeTokensOfUser(q: Queryable, orgId: string, userId: string) {
    await q.query(
      'UPDATE api_tokens SET revoked_at = now() WHERE org_id = $1 AND user_id = $2 AND revoked_at IS NULL',
      [orgId, userId],
    );
  },
};
