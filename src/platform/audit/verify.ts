import type { Db } from '../db/db.ts';
import { type AuditEventRow, auditedTables, eventHash, stateHash } from './audit.ts';
import { sealAll } from './sealer.ts';

export interface VerifyProblem {
  kind: 'broken_link' | 'tampered_event' | 'state_mismatch' | 'unaudited_row';
  seq?: number;
  eventId?: string;
  entityType?: string;
  entityId?: string;
  message: string;
}

export interface VerifyReport {
  orgId: string;
  events: number;
  rowsChecked: number;
  ok: boolean;
  firstProblem?: VerifyProblem;
  problems: VerifyProblem[];
}

/**
 * Walks an org's chain in order (first broken link reported first), then compares every audited row with
 * the state hash of its latest event.
 */
export async function verifyAudit(
  db: Db,
  orgId: string,
  opts: { onProgress?: (done: number, total: number) => void; maxProblems?: number } = {},
): Promise<VerifyReport> {
  const max = opts.maxProblems ?? 50;
  // Events written since the last sealer pass join the chain first.
  await sealAll(db, orgId);
  const problems: VerifyProblem[] = [];
  const total = (
    await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM audit_events WHERE org_id = $1 AND chain_seq IS NOT NULL',
      [orgId],
    )
  ).rows[0].n;
  let prevHash = '';
  let expectedSeq = 1;
  let lastSeq = 0;
  let done = 0;
  const pageSize = 2000;
  for (;;) {
    const page = (
      await db.query<AuditEventRow>(
        'SELECT * FROM audit_events WHERE org_id = $1 AND chain_seq > $2 ORDER BY chain_seq LIMIT $3',
        [orgId, lastSeq, pageSize],
      )
    ).rows;
    if (!page.length) break;
    for (const e of page) {
      const seq = Number(e.chain_seq);
      if (seq !== expectedSeq) {
        problems.push({
          kind: 'broken_link',
          seq,
          eventId: e.id,
          message: `event #${expectedSeq} is missing before #${seq} (${e.id})`,
        });
      } else if (e.prev_hash !== prevHash) {
        problems.push({
          kind: 'broken_link',
          seq,
          eventId: e.id,
          message: `event #${seq} (${e.id}) does not link to the event before it`,
        });
      } else if (eventHash({ ...e, chain_seq: seq, prev_hash: e.prev_hash ?? '' }) !== e.hash) {
        problems.push({
          kind: 'tampered_event',
          seq,
          eventId: e.id,
          message: `event #${seq} (${e.id}, ${e.action}) was altered after it was written`,
        });
      }
      prevHash = e.hash ?? '';
      expectedSeq = seq + 1;
      lastSeq = seq;
      if (problems.length >= max) break;
    }
    done += page.length;
    opts.onProgress?.(done, total);
    if (problems.length >= max) break;
  }
  // The head names the last sealed event: events cut off the end of the chain show here.
  const head = (
    await db.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_heads WHERE org_id = $1', [
      orgId,
    ])
  ).rows[0];
  if (head && problems.length < max && (Number(head.seq) !== lastSeq || head.hash !== prevHash)) {
    problems.push({
      kind: 'broken_link',
      seq: lastSeq + 1,
      message: `the chain ends at event #${lastSeq}, but its head names event #${head.seq}: events were removed`,
    });
  }

  let rowsChecked = 0;
  for (const t of auditedTables()) {
    if (problems.length >= max) break;
    type Latest = {
      entity_id: string;
      chain_seq: number | null;
      id: string;
      state_hash: string | null;
      action: string;
    };
    const latest = new Map<string, Latest>();
    const evs = await db.query<Latest>(
      `SELECT DISTINCT ON (entity_id) entity_id, chain_seq, id, state_hash, action FROM audit_events
       WHERE org_id = $1 AND entity_type = $2 AND entity_id IS NOT NULL AND state_hash IS NOT NULL
       ORDER BY entity_id, seq DESC`,
      [orgId, t.entityType],
    );
    for (const e of evs.rows) latest.set(e.entity_id, e);
    const rows = await db.query<Record<string, unknown>>(
      `SELECT * FROM ${t.table} WHERE org_id = $1 ORDER BY id`,
      [orgId],
    );
    for (const row of rows.rows) {
      rowsChecked++;
      let ev = latest.get(row.id as string);
      let mismatch = !!ev && ev.state_hash !== stateHash(t.entityType, row);
      if (mismatch) {
        // A change committed while this walk ran: compare the row with its event as they are now.
        const now = (
          await db.query<Latest & Record<string, unknown>>(
            `SELECT e.entity_id, e.chain_seq, e.id, e.state_hash, e.action FROM audit_events e
             WHERE e.org_id = $1 AND e.entity_type = $2 AND e.entity_id = $3 AND e.state_hash IS NOT NULL ORDER BY e.seq DESC LIMIT 1`,
            [orgId, t.entityType, row.id],
          )
        ).rows[0];
        const fresh = (
          await db.query<Record<string, unknown>>(`SELECT * FROM ${t.table} WHERE org_id = $1 AND id = $2`, [
            orgId,
            row.id,
          ])
        ).rows[0];
        if (now && fresh && now.state_hash === stateHash(t.entityType, fresh)) mismatch = false;
        else if (now) ev = now;
      }
      if (!ev) {
        problems.push({
          kind: 'unaudited_row',
          entityType: t.entityType,
          entityId: row.id as string,
          message: `${t.entityType} ${row.id} has no audit event: it was written outside Kept`,
        });
      } else if (mismatch) {
        problems.push({
          kind: 'state_mismatch',
          seq: ev.chain_seq === null ? undefined : Number(ev.chain_seq),
          eventId: ev.id,
          entityType: t.entityType,
          entityId: row.id as string,
          message: `${t.entityType} ${row.id} differs from its last audit event #${ev.chain_seq ?? '(unsealed)'} (${ev.id}, ${ev.action}): changed outside Kept`,
        });
      }
      if (problems.length >= max) break;
    }
  }
  problems.sort((a, b) => (a.seq ?? Number.MAX_SAFE_INTEGER) - (b.seq ?? Number.MAX_SAFE_INTEGER));
  return {
    orgId,
    events: total,
    rowsChecked,
    ok: problems.length === 0,
    firstProblem: problems[0],
    problems,
  };
}
