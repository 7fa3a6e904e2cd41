import type { Db } from '../db/db.ts';
import { type AuditEventRow, eventHash } from './audit.ts';

/**
 * The audit sealer: chains events after their transactions committed, so no write waits on an org-wide lock.
 * Per org and pass, it takes the chain head (skipping an org another sealer holds), reads the org's unsealed
 * events in write order and gives each its chain position, the previous hash and its own, in one short
 * transaction. What one statement sees is closed under commit order, so a record's events are always sealed in
 * the order they were written.
 */
export interface SealResult {
  orgs: number;
  sealed: number;
}

/** Seals up to `limit` events of one org; null when another sealer holds the org's head right now. */
export async function sealOrg(db: Db, orgId: string, limit = 2000): Promise<number | null> {
  return db.transaction(async (tx) => {
    const head = (
      await tx.query<{ seq: number; hash: string }>(
        'SELECT seq, hash FROM audit_heads WHERE org_id = $1 FOR UPDATE SKIP LOCKED',
        [orgId],
      )
    ).rows[0];
    if (!head) return null;
    const events = (
      await tx.query<AuditEventRow>(
        'SELECT * FROM audit_events WHERE org_id = $1 AND chain_seq IS NULL ORDER BY seq LIMIT $2',
        [orgId, limit],
      )
    ).rows;
    if (!events.length) return 0;
    let seq = Number(head.seq);
    let prev = head.hash;
    const ids: string[] = [];
    const seqs: number[] = [];
    const prevs: string[] = [];
    const hashes: string[] = [];
    for (const e of events) {
      seq += 1;
      const hash = eventHash({ ...e, chain_seq: seq, prev_hash: prev });
      ids.push(e.id);
      seqs.push(seq);
      prevs.push(prev);
      hashes.push(hash);
      prev = hash;
    }
    await tx.query(
      `UPDATE audit_events a SET chain_seq = v.s, prev_hash = v.p, hash = v.h
       FROM unnest($2::uuid[], $3::bigint[], $4::text[], $5::text[]) AS v(id, s, p, h)
       WHERE a.org_id = $1 AND a.id = v.id`,
      [orgId, ids, seqs, prevs, hashes],
    );
    await tx.query('UPDATE audit_heads SET seq = $2, hash = $3 WHERE org_id = $1', [orgId, seq, prev]);
    return events.length;
  });
}

/** One pass over every org (or one) with unsealed events. */
export async function sealAudit(db: Db, opts: { orgId?: string; limit?: number } = {}): Promise<SealResult> {
  const orgs = opts.orgId
    ? [opts.orgId]
    : (
        await db.query<{ org_id: string }>('SELECT DISTINCT org_id FROM audit_events WHERE chain_seq IS NULL')
      ).rows.map((r) => r.org_id);
  const result: SealResult = { orgs: 0, sealed: 0 };
  for (const orgId of orgs) {
    const n = await sealOrg(db, orgId, opts.limit);
    if (n) {
      result.orgs += 1;
      result.sealed += n;
    }
  }
  return result;
}

/** Seals until nothing visible is left (verification, tests, CLI). Waits for a sealer holding the head. */
export async function sealAll(db: Db, orgId?: string): Promise<number> {
  let total = 0;
  for (let round = 0; round < 100_000; round++) {
    const r = await sealAudit(db, { orgId });
    total += r.sealed;
    const left = (
      await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_events WHERE chain_seq IS NULL${orgId ? ' AND org_id = $1' : ''}`,
        orgId ? [orgId] : [],
      )
    ).rows[0].n;
    if (!left) return total;
    if (!r.sealed) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return total;
}
