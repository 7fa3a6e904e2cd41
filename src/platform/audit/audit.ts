import { randomUUID } from 'node:crypto';
import type { Ctx } from '../context.ts';
import type { Tx, WriteBuffer } from '../db/db.ts';
import { canonicalJson, normalize, sha256 } from './canonical.ts';

/**
 * The audit trail: an append-only, per-org hash chain written in the same transaction as the change.
 * Each event also carries the hash of the entity's stored state after the change, so `kept audit verify`
 * can tell both a tampered event (broken link) and a row edited behind Kept's back (state mismatch).
 */

/** Columns that change without meaning a business change (bookkeeping), left out of diffs and state hashes. */
const BOOKKEEPING = new Set([
  'updated_at',
  'version',
  'search_tokens',
  'search_vector',
  'name_normalized',
  'name_pinyin',
]);

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
  /** Write order, from a global sequence (no lock): a record's events are in the order they were made. */
  seq: number;
  /** Position in the org's hash chain, set by the sealer after commit (null until sealed). */
  chain_seq: number | null;
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
  prev_hash: string | null;
  hash: string | null;
}

type Hashable = Omit<AuditEventRow, 'hash' | 'seq' | 'chain_seq' | 'prev_hash'> & {
  chain_seq: number;
  prev_hash: string;
};

/** The hash of a sealed event: its content, its chain position and the previous event's hash. */
export function eventHash(e: Hashable): string {
  return sha256(
    canonicalJson({
      orgId: e.org_id,
      id: e.id,
      seq: Number(e.chain_seq),
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

const INSERT_COLUMNS =
  'org_id, id, occurred_at, actor_type, actor_id, action, entity_type, entity_id, changes, meta, state_hash, request_id';

function eventValues(ctx: Ctx, input: AuditInput, at: Date): unknown[] {
  const changes = normalize(
    input.before === undefined && input.after === undefined
      ? {}
      : diff(input.before ?? null, input.after ?? null),
  );
  return [
    ctx.orgId,
    randomUUID(),
    at,
    ctx.actor.type,
    ctx.actor.userId,
    input.action,
    input.entityType,
    input.entityId,
    JSON.stringify(changes),
    JSON.stringify(normalize(input.meta ?? {})),
    input.after ? stateHash(input.entityType, input.after) : null,
    ctx.requestId,
  ];
}

/** Audit events are written at commit, with the transaction's other buffered rows, in one statement. */
export const AUDIT_BUFFER: WriteBuffer<unknown[]> = {
  name: 'audit_events',
  table: 'audit_events',
  insert(rows, param, guard) {
    const cols: unknown[][] = Array.from({ length: 12 }, () => []);
    for (const r of rows) {
      r.forEach((v, j) => {
        cols[j].push(v);
      });
    }
    const types = [
      'uuid',
      'uuid',
      'timestamptz',
      'text',
      'uuid',
      'text',
      'text',
      'uuid',
      'jsonb',
      'jsonb',
      'text',
      'text',
    ];
    const arrays = cols.map((c, j) => `${param(c)}::${types[j]}[]`).join(', ');
    return `INSERT INTO audit_events (${INSERT_COLUMNS})
      SELECT a, b, c, d, e, f, g, h, i, j, k, l
      FROM unnest(${arrays}) WITH ORDINALITY AS x(a, b, c, d, e, f, g, h, i, j, k, l, n)${guard ? ` WHERE ${guard}` : ''} ORDER BY n`;
  },
};

/**
 * Appends one event in the transaction that makes the change (written at commit with the transaction's other
 * events: no lock shared with other writers). The event joins the org's hash chain when the sealer runs after
 * commit (see sealer.ts).
 */
export async function recordAudit(tx: Tx, ctx: Ctx, input: AuditInput): Promise<void> {
  tx.buffer(AUDIT_BUFFER).push(eventValues(ctx, input, new Date()));
}

/** One event's row as written (for writeWithTrail, which writes it together with its change). */
export function auditRow(ctx: Ctx, input: AuditInput, at = new Date()): unknown[] {
  return eventValues(ctx, input, at);
}

/** Appends many events (imports, bulk changes), in the given order. */
export async function recordAuditMany(tx: Tx, ctx: Ctx, inputs: AuditInput[]): Promise<void> {
  const at = new Date();
  const rows = tx.buffer(AUDIT_BUFFER);
  for (const input of inputs) rows.push(eventValues(ctx, input, at));
}

export async function createAuditHead(tx: Tx, orgId: string): Promise<void> {
  await tx.query('INSERT INTO audit_heads (org_id) VALUES ($1) ON CONFLICT DO NOTHING', [orgId]);
}

export { type VerifyProblem, type VerifyReport, verifyAudit } from './verify.ts';
