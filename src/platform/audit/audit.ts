import { randomUUID } from 'node:crypto';
import type { Ctx } from '../context.ts';
import type { Queryable, Tx } from '../db/db.ts';
import { canonicalJson, normalize, sha256 } from './canonical.ts';

/**
 * The audit trail: an append-only, per-org hash chain written in the same transaction as the change.
 * Each event also carries the hash of the entity's stored state after the change, so `kept audit verify`
 * can tell both a tampered event (broken link) and a row edited behind Kept's back (state mismatch).
 */

/** Columns that change without meaning a business change (bookkeeping), left out of diffs and state hashes. */
const BOOKKEEPING = new Set(['updated_at', 'version', 'search_tokens', 'search_vector', 'name_normalized']);

export interface AuditedTable {
  entityType: string;
  table: string;
  /** Extra columns to leave out of the state hash (e.g. last_login_at on users). */
  exclude?: string[];
}

const audited = new Map<string, AuditedTable>();

/** Modules declare which of their tables `kept audit verify` compares against the trail. */
export function registerAuditedTable(t: AuditedTable): void {
  audited.set(t.entityType, t);
}

const addedLater = new Map<string, Set<string>>();

/**
 * Columns added to an audited table after rows existed (ALTER TABLE … ADD COLUMN, nullable): left out of the
 * state hash while null, so rows last audited before the column came still match their event. Once set,
 * the value counts like any other column.
 */
export function registerColumnsAddedLater(entityType: string, columns: string[]): void {
  const set = addedLater.get(entityType) ?? new Set<string>();
  for (const c of columns) set.add(c);
  addedLater.set(entityType, set);
}

export function auditedTables(): AuditedTable[] {
  return [...audited.values()];
}

// Rows as the drivers return them: objects keyed by column.
type RowLike = object;
type Fields = Record<string, unknown>;

export function stateOf(entityType: string, row: RowLike): Fields {
  const exclude = new Set([...(audited.get(entityType)?.exclude ?? []), ...BOOKKEEPING]);
  const out: Fields = {};
  const later = addedLater.get(entityType);
  for (const [k, v] of Object.entries(row)) if (!exclude.has(k) && !(v === null && later?.has(k))) out[k] = v;
  return out;
}

export function stateHash(entityType: string, row: RowLike): string {
  return sha256(canonicalJson(stateOf(entityType, row)));
}

/** Field-level diff {field: [before, after]} over the columns that carry meaning. */
export function diff(before: RowLike | null, after: RowLike | null): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  const b0 = (before ?? {}) as Fields;
  const a0 = (after ?? {}) as Fields;
  const keys = new Set([...Object.keys(b0), ...Object.keys(a0)]);
  for (const k of keys) {
    if (BOOKKEEPING.has(k) || k === 'org_id' || k === 'password_hash' || k === 'token_hash') continue;
    const b = normalize(b0[k] ?? null);
    const a = normalize(a0[k] ?? null);
    if (JSON.stringify(b) !== JSON.stringify(a)) out[k] = [b, a];
  }
  return out;
}

export interface AuditInput {
  action: string;
  entityType: string;
  entityId: string | null;
  before?: RowLike | null;
  after?: RowLike | null;
  /** Extra facts: export row count, reveal reason, merge source… */
  meta?: Record<string, unknown>;
}

export interface AuditEventRow {
  org_id: string;
  id: string;
  seq: number;
  occurred_at: Date;
  actor_type: string;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  changes: Record<string, unknown>;
  meta: Record<string, unknown>;
  state_hash: string | null;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

export function eventHash(e: Omit<AuditEventRow, 'hash'>): string {
  return sha256(
    canonicalJson({
      orgId: e.org_id,
      id: e.id,
      seq: Number(e.seq),
      occurredAt: new Date(e.occurred_at).toISOString(),
      actorType: e.actor_type,
      actorId: e.actor_id,
      action: e.action,
      entityType: e.entity_type,
      entityId: e.entity_id,
      changes: e.changes,
      meta: e.meta,
      stateHash: e.state_hash,
      requestId: e.request_id,
      prevHash: e.prev_hash,
    }),
  );
}

/** Appends one event. Must run inside the transaction that makes the change. */
export async function recordAudit(tx: Tx, ctx: Ctx, input: AuditInput): Promise<AuditEventRow> {
  const head = (
    await tx.query<{ seq: number; hash: string }>(
      'UPDATE audit_heads SET seq = seq + 1 WHERE org_id = $1 RETURNING seq, hash',
      [ctx.orgId],
    )
  ).rows[0];
  if (!head) throw new Error(`audit head missing for org ${ctx.orgId}`);
  const changes = normalize(input.before === undefined && input.after === undefined ? {} : diff(input.before ?? null, input.after ?? null)) as Record<string, unknown>;
  const ev: Omit<AuditEventRow, 'hash'> = {
    org_id: ctx.orgId,
    id: randomUUID(),
    seq: Number(head.seq),
    occurred_at: new Date(),
    actor_type: ctx.actor.type,
    actor_id: ctx.actor.userId,
    action: input.action,
    entity_type: input.entityType,
    entity_id: input.entityId,
    changes,
    meta: normalize(input.meta ?? {}) as Record<string, unknown>,
    state_hash: input.after ? stateHash(input.entityType, input.after) : null,
    request_id: ctx.requestId,
    prev_hash: head.hash,
  };
  const hash = eventHash(ev);
  // One round trip: the event and the chain's new head together.
  await tx.query(
    `WITH ev AS (
       INSERT INTO audit_events (org_id, id, seq, occurred_at, actor_type, actor_id, action, entity_type, entity_id,
         changes, meta, state_hash, request_id, prev_hash, hash)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)
       RETURNING org_id, hash
     )
     UPDATE audit_heads h SET hash = ev.hash FROM ev WHERE h.org_id = ev.org_id`,
    [
      ev.org_id,
      ev.id,
      ev.seq,
      ev.occurred_at,
      ev.actor_type,
      ev.actor_id,
      ev.action,
      ev.entity_type,
      ev.entity_id,
      JSON.stringify(ev.changes),
      JSON.stringify(ev.meta),
      ev.state_hash,
      ev.request_id,
      ev.prev_hash,
      hash,
    ],
  );
  return { ...ev, hash };
}

export async function createAuditHead(tx: Tx, orgId: string): Promise<void> {
  await tx.query('INSERT INTO audit_heads (org_id) VALUES ($1) ON CONFLICT DO NOTHING', [orgId]);
}

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
  db: Queryable,
  orgId: string,
  opts: { onProgress?: (done: number, total: number) => void; maxProblems?: number } = {},
): Promise<VerifyReport> {
  const max = opts.maxProblems ?? 50;
  const problems: VerifyProblem[] = [];
  const total = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_events WHERE org_id = $1', [orgId])).rows[0].n;
  let prevHash = '';
  let expectedSeq = 1;
  let lastSeq = 0;
  let done = 0;
  const pageSize = 2000;
  for (;;) {
    const page = (
      await db.query<AuditEventRow>(
        'SELECT * FROM audit_events WHERE org_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
        [orgId, lastSeq, pageSize],
      )
    ).rows;
    if (!page.length) break;
    for (const e of page) {
      const seq = Number(e.seq);
      if (seq !== expectedSeq) {
        problems.push({ kind: 'broken_link', seq, eventId: e.id, message: `event #${expectedSeq} is missing before #${seq} (${e.id})` });
      } else if (e.prev_hash !== prevHash) {
        problems.push({ kind: 'broken_link', seq, eventId: e.id, message: `event #${seq} (${e.id}) does not link to the event before it` });
      } else if (eventHash(e) !== e.hash) {
        problems.push({ kind: 'tampered_event', seq, eventId: e.id, message: `event #${seq} (${e.id}, ${e.action}) was altered after it was written` });
      }
      prevHash = e.hash;
      expectedSeq = seq + 1;
      lastSeq = seq;
      if (problems.length >= max) break;
    }
    done += page.length;
    opts.onProgress?.(done, total);
    if (problems.length >= max) break;
  }

  let rowsChecked = 0;
  for (const t of auditedTables()) {
    if (problems.length >= max) break;
    const latest = new Map<string, { seq: number; id: string; state_hash: string | null; action: string }>();
    const evs = await db.query<{ entity_id: string; seq: number; id: string; state_hash: string | null; action: string }>(
      `SELECT DISTINCT ON (entity_id) entity_id, seq, id, state_hash, action FROM audit_events
       WHERE org_id = $1 AND entity_type = $2 AND entity_id IS NOT NULL AND state_hash IS NOT NULL
       ORDER BY entity_id, seq DESC`,
      [orgId, t.entityType],
    );
    for (const e of evs.rows) latest.set(e.entity_id, e);
    const rows = await db.query<Record<string, unknown>>(`SELECT * FROM ${t.table} WHERE org_id = $1 ORDER BY id`, [orgId]);
    for (const row of rows.rows) {
      rowsChecked++;
      const ev = latest.get(row.id as string);
      if (!ev) {
        problems.push({ kind: 'unaudited_row', entityType: t.entityType, entityId: row.id as string, message: `${t.entityType} ${row.id} has no audit event: it was written outside Kept` });
      } else if (ev.state_hash !== stateHash(t.entityType, row)) {
        problems.push({
          kind: 'state_mismatch',
          seq: Number(ev.seq),
          eventId: ev.id,
          entityType: t.entityType,
          entityId: row.id as string,
          message: `${t.entityType} ${row.id} differs from its last audit event #${ev.seq} (${ev.id}, ${ev.action}): changed outside Kept`,
        });
      }
      if (problems.length >= max) break;
    }
  }
  problems.sort((a, b) => (a.seq ?? Number.MAX_SAFE_INTEGER) - (b.seq ?? Number.MAX_SAFE_INTEGER));
  return { orgId, events: total, rowsChecked, ok: problems.length === 0, firstProblem: problems[0], problems };
}
