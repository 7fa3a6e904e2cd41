import type { Db, Tx } from '../db/db.ts';
import { registerTimerHandler, retryDelayMs, scheduleTimer } from '../jobs/timers.ts';
import { type DomainEvent, type EventRow, toEvent } from './events.ts';

/**
 * The dispatcher: hands committed domain events to the consumers, at least once, in order per record.
 *
 * Each org's events fall in lanes (a record's events share one). A pass takes a lane with a transaction-level
 * advisory lock (several workers split the lanes; a lane is never handled twice at once), reads its undispatched
 * events in write order, runs every interested consumer in the same transaction and marks the events dispatched:
 * a consumer's database effects and the mark commit together. What one statement sees is closed under commit
 * order, so a record's events can never be handled out of order. A consumer that throws does not hold the others
 * back: its event is retried for it alone with backoff (timer 'event.retry').
 *
 * Consumers record intents (a webhook delivery, an email) in the transaction; the I/O happens after commit.
 * They must use only the tx they are given, and act from the event's data and occurredAt, not the wall clock.
 */
export interface ConsumerContext {
  /** Memo shared by one pass over one lane: cache per-org lookups (definitions, endpoints) here. */
  memo: Map<string, unknown>;
  now: Date;
}

export interface Consumer {
  name: string;
  /** Event types it wants: exact types, 'customer.*' prefixes or '*'. */
  types: string[];
  handle(tx: Tx, event: DomainEvent, c: ConsumerContext): Promise<void>;
}

const consumers = new Map<string, Consumer>();

export function registerConsumer(c: Consumer): void {
  consumers.set(c.name, c);
}

export function registeredConsumers(): string[] {
  return [...consumers.keys()].sort();
}

export function typeMatches(patterns: readonly string[], type: string): boolean {
  return patterns.some(
    (p) => p === '*' || p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))),
  );
}

const wanting = (type: string) => [...consumers.values()].filter((c) => typeMatches(c.types, type));

export const EVENT_RETRY = 'event.retry';

export interface DispatchOptions {
  now?: Date;
  /** Events per lane and pass. */
  batch?: number;
  /** Only this org (tests). */
  orgId?: string;
}

export interface DispatchResult {
  lanes: number;
  events: number;
  failures: number;
}

async function pendingLanes(db: Db, orgId?: string) {
  return (
    await db.query<{ org_id: string; lane: number }>(
      `SELECT DISTINCT org_id, lane FROM domain_events WHERE dispatched_at IS NULL${orgId ? ' AND org_id = $1' : ''}`,
      orgId ? [orgId] : [],
    )
  ).rows;
}

async function scheduleRetry(tx: Tx, consumer: string, e: DomainEvent, err: unknown, now: Date) {
  await scheduleTimer(tx, {
    orgId: e.orgId,
    key: `${EVENT_RETRY}:${consumer}:${e.id}`,
    kind: EVENT_RETRY,
    dueAt: new Date(now.getTime() + retryDelayMs(1)),
    refType: 'domain_event',
    refId: e.id,
    payload: {
      consumer,
      eventId: e.id,
      firstError: String(err instanceof Error ? err.message : err).slice(0, 500),
    },
    maxAttempts: 10,
  });
}

/** One lane: returns the events handled, or null when another worker holds the lane. */
async function dispatchLane(
  db: Db,
  orgId: string,
  lane: number,
  opts: { now: Date; batch: number; isolate: boolean },
): Promise<{ events: number; failures: number } | null> {
  return db.transaction(async (tx) => {
    const locked = (
      await tx.query<{ ok: boolean }>(
        "SELECT pg_try_advisory_xact_lock(hashtextextended($1 || ':' || $2, 7311)) AS ok",
        [orgId, String(lane)],
      )
    ).rows[0].ok;
    if (!locked) return null;
    const rows = (
      await tx.query<EventRow>(
        'SELECT * FROM domain_events WHERE org_id = $1 AND lane = $2 AND dispatched_at IS NULL ORDER BY seq LIMIT $3',
        [orgId, lane, opts.batch],
      )
    ).rows;
    if (!rows.length) return { events: 0, failures: 0 };
    const c: ConsumerContext = { memo: new Map(), now: opts.now };
    let failures = 0;
    for (const row of rows) {
      const e = toEvent(row);
      for (const consumer of wanting(e.type)) {
        if (!opts.isolate) {
          // Fast path: no savepoints. A throw aborts the batch, which is then redone with isolation.
          await consumer.handle(tx, e, c);
          continue;
        }
        try {
          await tx.savepoint(() => consumer.handle(tx, e, c));
        } catch (err) {
          await scheduleRetry(tx, consumer.name, e, err, opts.now);
          failures++;
        }
      }
    }
    await tx.query('UPDATE domain_events SET dispatched_at = $3 WHERE org_id = $1 AND id = ANY($2::uuid[])', [
      orgId,
      rows.map((r) => r.id),
      opts.now,
    ]);
    return { events: rows.length, failures };
  });
}

/** One pass over every lane with undispatched events. */
export async function dispatchEvents(db: Db, opts: DispatchOptions = {}): Promise<DispatchResult> {
  const result: DispatchResult = { lanes: 0, events: 0, failures: 0 };
  for (const { org_id, lane } of await pendingLanes(db, opts.orgId)) {
    const o = { now: opts.now ?? new Date(), batch: opts.batch ?? 500 };
    let r: { events: number; failures: number } | null;
    try {
      r = await dispatchLane(db, org_id, lane, { ...o, isolate: false });
    } catch {
      r = await dispatchLane(db, org_id, lane, { ...o, isolate: true });
    }
    if (r) {
      result.lanes++;
      result.events += r.events;
      result.failures += r.failures;
    }
  }
  return result;
}

/** Dispatches until nothing is pending (tests, CLI commands that want reactions before they exit). */
export async function drainEvents(db: Db, opts: DispatchOptions = {}): Promise<number> {
  let total = 0;
  for (let i = 0; i < 10_000; i++) {
    const r = await dispatchEvents(db, opts);
    total += r.events;
    if (!r.events) {
      if (!(await pendingLanes(db, opts.orgId)).length) return total;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  return total;
}

/** Timer 'event.retry': runs one consumer again on one event; a throw makes the timer retry with backoff. */
registerTimerHandler(EVENT_RETRY, async (tx, timer, { now }) => {
  const consumer = consumers.get(String(timer.payload.consumer));
  if (!consumer) return;
  const row = (
    await tx.query<EventRow>('SELECT * FROM domain_events WHERE org_id = $1 AND id = $2', [
      timer.org_id,
      timer.payload.eventId,
    ])
  ).rows[0];
  if (!row) return;
  await consumer.handle(tx, toEvent(row), { memo: new Map(), now });
});
