import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/db.ts';
import { AppError } from './errors.ts';

/**
 * `Idempotency-Key` on any authenticated POST (every create): the first request with a key runs and its answer
 * (status, body, ETag/Location) is kept for 24 hours under (org, user, key); a retry with the same key and the
 * same request gets that answer again with `Idempotent-Replayed: true`, without running anything. The same key
 * with another request (path or body) answers 422 naming the header. A duplicate that arrives while the first is
 * still running waits for its answer (up to a few seconds, then 409), so concurrent duplicates make one record.
 *
 * The key is claimed (one INSERT … ON CONFLICT) after the request passed authentication and validation, and the
 * answer is stored before it is sent. A 5xx answer releases the key (the retry runs again); a claim whose
 * request never answered (the process died) is taken over after CLAIM_STALE_SECONDS.
 */

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';
const KEY_RE = /^[\x21-\x7e]{1,255}$/;
const TTL_HOURS = 24;
const CLAIM_STALE_SECONDS = 120;
const KEPT_HEADERS = ['content-type', 'etag', 'location'] as const;

interface Claim {
  orgId: string;
  userId: string;
  key: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyClaim?: Claim;
  }
}

interface StoredRow {
  request_hash: string;
  status: number | null;
  body: string | null;
  headers: Record<string, string> | null;
}

export interface IdempotencyOptions {
  db: Db;
  /** How long a duplicate waits for the first request's answer before 409 (ms). */
  waitMs?: number;
}

function requestHash(req: FastifyRequest): string {
  const h = createHash('sha256').update(`${req.method} ${req.url}\n`);
  const body = req.body;
  if (Buffer.isBuffer(body)) h.update(body);
  else if (typeof body === 'string') h.update(body);
  else if (body !== undefined) h.update(JSON.stringify(body) ?? '');
  return h.digest('base64url');
}

const headerError = (key: string) =>
  new AppError('validation', { fields: { [IDEMPOTENCY_HEADER]: { key } } });

export function idempotencyHooks(opts: IdempotencyOptions) {
  const { db } = opts;
  const waitMs = opts.waitMs ?? 10_000;

  async function claim(c: Claim, hash: string): Promise<boolean> {
    const r = await db.query(
      `INSERT INTO idempotency_keys (org_id, user_id, key, request_hash)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (org_id, user_id, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, created_at = now(), status = NULL, body = NULL, headers = NULL
         WHERE idempotency_keys.created_at < now() - make_interval(hours => ${TTL_HOURS})
            OR (idempotency_keys.status IS NULL
                AND idempotency_keys.created_at < now() - make_interval(secs => ${CLAIM_STALE_SECONDS}))
       RETURNING 1`,
      [c.orgId, c.userId, c.key, hash],
    );
    return r.rowCount > 0;
  }

  async function load(c: Claim): Promise<StoredRow | undefined> {
    const r = await db.query<StoredRow>(
      'SELECT request_hash, status, body, headers FROM idempotency_keys WHERE org_id = $1 AND user_id = $2 AND key = $3',
      [c.orgId, c.userId, c.key],
    );
    return r.rows[0];
  }

  /** preHandler: claim the key, or answer with what the first request answered. */
  async function preHandler(req: FastifyRequest, reply: FastifyReply) {
    if (req.method !== 'POST') return;
    const raw = req.headers['idempotency-key'];
    if (raw === undefined) return;
    const userId = req.ctx?.actor.userId;
    if (!req.ctx || !userId) return;
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (Array.isArray(raw) || !KEY_RE.test(key)) throw headerError('validation.idempotency_key');
    const c: Claim = { orgId: req.ctx.orgId, userId, key };
    const hash = requestHash(req);
    const deadline = Date.now() + waitMs;
    let delay = 20;
    for (;;) {
      if (await claim(c, hash)) {
        req.idempotencyClaim = c;
        return;
      }
      const row = await load(c);
      if (!row) continue; // released (the first answered 5xx) or pruned: claim again
      if (row.request_hash !== hash) throw headerError('validation.idempotency_mismatch');
      if (row.status !== null) {
        for (const [name, value] of Object.entries(row.headers ?? {})) reply.header(name, value);
        reply.header(REPLAYED_HEADER, 'true').status(row.status);
        return reply.send(row.body ?? '');
      }
      if (Date.now() > deadline) throw new AppError('idempotency_in_progress');
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 200);
    }
  }

  /** onSend: keep the answer under the claimed key (a 5xx or a stream releases it). */
  async function onSend(req: FastifyRequest, reply: FastifyReply, payload: unknown) {
    const c = req.idempotencyClaim;
    if (!c) return payload;
    req.idempotencyClaim = undefined;
    const keepable = typeof payload === 'string' || Buffer.isBuffer(payload) || payload == null;
    if (reply.statusCode >= 500 || !keepable) {
      await db.query('DELETE FROM idempotency_keys WHERE org_id = $1 AND user_id = $2 AND key = $3', [
        c.orgId,
        c.userId,
        c.key,
      ]);
      return payload;
    }
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const v = reply.getHeader(name);
      if (v !== undefined) headers[name] = String(v);
    }
    const body = payload == null ? '' : Buffer.isBuffer(payload) ? payload.toString('utf8') : payload;
    await db.query(
      `UPDATE idempotency_keys SET status = $4, body = $5, headers = $6
       WHERE org_id = $1 AND user_id = $2 AND key = $3`,
      [c.orgId, c.userId, c.key, reply.statusCode, body, JSON.stringify(headers)],
    );
    return payload;
  }

  return { preHandler, onSend };
}

/** Deletes keys older than 24 hours (the worker's pruning). Returns how many rows went. */
export async function pruneIdempotencyKeys(db: Db, now = new Date(), batch = 5000): Promise<number> {
  const cutoff = new Date(now.getTime() - TTL_HOURS * 3_600_000);
  const r = await db.query(
    `DELETE FROM idempotency_keys WHERE (org_id, user_id, key) IN (
       SELECT org_id, user_id, key FROM idempotency_keys WHERE created_at < $1 LIMIT $2)`,
    [cutoff, batch],
  );
  return r.rowCount;
}
