import { createHash, randomUUID } from 'node:crypto';
import type { Ctx } from '../context.ts';
import type { Tx, WriteBuffer } from '../db/db.ts';
import type { Locale } from '../i18n/i18n.ts';

/**
 * Domain events through a transactional outbox. A service calls emit() inside the transaction that makes the
 * change, so the event exists exactly when the change does; the dispatcher (dispatcher.ts) hands committed
 * events to the consumers (process engine, cadences, webhooks, notifications) after commit.
 */
export interface RecordRef {
  type: string;
  id: string;
}

export interface DomainEvent<D extends Record<string, unknown> = Record<string, unknown>> {
  orgId: string;
  id: string;
  /** Write order (global sequence): a record's events are dispatched in this order. */
  seq: number;
  type: string;
  recordType: string | null;
  recordId: string | null;
  /** A second record the event concerns (e.g. the customer of a task). */
  related: RecordRef | null;
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  requestId: string | null;
  data: D;
  /** 0: caused by a person or a timer; n + 1: emitted by a consumer handling a depth-n event. */
  depth: number;
}

export interface EmitInput {
  type: string;
  record?: RecordRef | null;
  related?: RecordRef | null;
  data?: Record<string, unknown>;
}

/** A catalog entry: modules declare the events they emit in their index.ts. */
export interface EventType {
  type: string;
  /** The record type the event is about (its recordType/recordId), if any. */
  recordType?: string;
  description: Record<Locale, string>;
}

const catalog = new Map<string, EventType>();

export function declareEvents(types: EventType[]): void {
  for (const t of types) catalog.set(t.type, t);
}

/** Every declared event type, sorted: listed in OpenAPI and on the webhook admin page. */
export function eventCatalog(): EventType[] {
  return [...catalog.values()].sort((a, b) => a.type.localeCompare(b.type));
}

export function isDeclaredEvent(type: string): boolean {
  return catalog.has(type);
}

export const LANES = 8;

/** A record's events share a lane, so they are handled in order; events without a record use lane 0. */
export function laneOf(record: RecordRef | null | undefined): number {
  if (!record) return 0;
  return createHash('sha1').update(`${record.type}:${record.id}`).digest()[0] % LANES;
}

const COLUMNS =
  'org_id, id, type, record_type, record_id, related_type, related_id, lane, occurred_at, actor_type, actor_id, request_id, data, depth';

function values(ctx: Ctx, e: EmitInput, at: Date): unknown[] {
  if (!catalog.has(e.type))
    throw new Error(`undeclared domain event type ${e.type}: declare it in its module's index.ts`);
  return [
    ctx.orgId,
    randomUUID(),
    e.type,
    e.record?.type ?? null,
    e.record?.id ?? null,
    e.related?.type ?? null,
    e.related?.id ?? null,
    laneOf(e.record),
    at,
    ctx.actor.type,
    ctx.actor.userId,
    ctx.requestId,
    JSON.stringify(e.data ?? {}),
    ctx.eventDepth ?? 0,
  ];
}

type Listener = () => void;
const committedListeners = new Set<Listener>();
/** A worker in this process hears when a transaction with events commits, and dispatches at once. */
export function onEventsCommitted(fn: Listener): () => void {
  committedListeners.add(fn);
  return () => committedListeners.delete(fn);
}
/** Tells this process's worker that events were committed (writeWithTrail, which has no transaction hook). */
export function eventsCommitted(): void {
  for (const fn of committedListeners) fn();
}

/** One domain event's row as written (for writeWithTrail). */
export function eventRow(ctx: Ctx, e: EmitInput, at = new Date()): unknown[] {
  return values(ctx, e, at);
}

const nudged = new WeakSet<Tx>();
function nudgeAfterCommit(tx: Tx) {
  if (nudged.has(tx)) return;
  nudged.add(tx);
  tx.afterCommit(() => {
    for (const fn of committedListeners) fn();
  });
}

const TYPES = [
  'uuid',
  'uuid',
  'text',
  'text',
  'uuid',
  'text',
  'uuid',
  'smallint',
  'timestamptz',
  'text',
  'uuid',
  'text',
  'jsonb',
  'smallint',
];

/** Domain events are written at commit, with the transaction's audit events, in one statement. */
export const EVENT_BUFFER: WriteBuffer<unknown[]> = {
  name: 'domain_events',
  table: 'domain_events',
  insert(rows, param, guard) {
    const cols: unknown[][] = Array.from({ length: TYPES.length }, () => []);
    for (const r of rows) {
      r.forEach((v, j) => {
        cols[j].push(v);
      });
    }
    const arrays = cols.map((c, j) => `${param(c)}::${TYPES[j]}[]`).join(', ');
    return `INSERT INTO domain_events (${COLUMNS})
      SELECT a, b, c, d, e, f, g, h, i, j, k, l, m, o
      FROM unnest(${arrays}) WITH ORDINALITY AS x(a, b, c, d, e, f, g, h, i, j, k, l, m, o, n)${guard ? ` WHERE ${guard}` : ''} ORDER BY n`;
  },
};

/** Records a domain event in the caller's transaction (written at commit, with the transaction's other rows). */
export async function emit(tx: Tx, ctx: Ctx, e: EmitInput, at = new Date()): Promise<void> {
  tx.buffer(EVENT_BUFFER).push(values(ctx, e, at));
  nudgeAfterCommit(tx);
}

/** Records many events (imports), in the given order. */
export async function emitMany(tx: Tx, ctx: Ctx, events: EmitInput[], at = new Date()): Promise<void> {
  if (!events.length) return;
  const rows = tx.buffer(EVENT_BUFFER);
  for (const e of events) rows.push(values(ctx, e, at));
  nudgeAfterCommit(tx);
}

const camels = new Map<string, string>();
const camel = (k: string) => {
  let c = camels.get(k);
  if (c === undefined) {
    c = k.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());
    if (camels.size < 10_000) camels.set(k, c);
  }
  return c;
};

/** A row as event data: camelCase keys, internal bookkeeping columns left out. */
const INTERNAL = new Set([
  'org_id',
  'search_tokens',
  'search_vector',
  'name_normalized',
  'name_pinyin',
  'password_hash',
  'token_hash',
  'secret',
  'owner_name',
]);

export function eventView(row: object, omit: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (INTERNAL.has(k) || (omit.length && omit.includes(k))) continue;
    out[camel(k)] = v instanceof Date ? v.toISOString() : v;
  }
  return out;
}

export interface EventRow {
  org_id: string;
  id: string;
  seq: number;
  type: string;
  record_type: string | null;
  record_id: string | null;
  related_type: string | null;
  related_id: string | null;
  lane: number;
  occurred_at: Date;
  actor_type: string;
  actor_id: string | null;
  request_id: string | null;
  data: Record<string, unknown>;
  depth: number;
  dispatched_at: Date | null;
}

export function toEvent(r: EventRow): DomainEvent {
  return {
    orgId: r.org_id,
    id: r.id,
    seq: Number(r.seq),
    type: r.type,
    recordType: r.record_type,
    recordId: r.record_id,
    related: r.related_type && r.related_id ? { type: r.related_type, id: r.related_id } : null,
    occurredAt: new Date(r.occurred_at),
    actorType: r.actor_type,
    actorId: r.actor_id,
    requestId: r.request_id,
    data: r.data ?? {},
    depth: Number(r.depth ?? 0),
  };
}
