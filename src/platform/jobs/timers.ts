import { randomUUID } from 'node:crypto';
import type { Db, Tx } from '../db/db.ts';

/**
 * Durable timers on the database (see docs/adr/0005-database-timers.md). A timer is scheduled inside the
 * transaction that decides it, keyed by (rule, record, due time) so scheduling twice is harmless. Workers claim
 * due timers with FOR UPDATE SKIP LOCKED and run each handler in the same transaction that marks the timer
 * done: the effect and its completion commit together or not at all. A worker killed mid-run rolls back and
 * another worker picks the timers up.
 */
export interface TimerSpec {
  orgId: string;
  key: string;
  kind: string;
  dueAt: Date;
  refType?: string;
  refId?: string;
  payload?: Record<string, unknown>;
  maxAttempts?: number;
}

export interface TimerRow {
  org_id: string;
  id: string;
  key: string;
  kind: string;
  ref_type: string | null;
  ref_id: string | null;
  due_at: Date;
  payload: Record<string, unknown>;
  status: 'pending' | 'done' | 'cancelled' | 'failed';
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  fired_at: Date | null;
  fired_by: string | null;
}

export interface TimerContext {
  /** The instant the sweep ran for (a worker's clock; tests move it). */
  now: Date;
  workerId: string;
  /** Shared by the timers of one batch: what a prefetch read for all of them (see registerTimerPrefetch). */
  memo: Map<string, unknown>;
}

export type TimerHandler = (tx: Tx, timer: TimerRow, ctx: TimerContext) => Promise<void>;

const handlers = new Map<string, TimerHandler>();

/** Modules register one handler per timer kind, e.g. 'sla.breach'. */
export function registerTimerHandler(kind: string, handler: TimerHandler): void {
  handlers.set(kind, handler);
}

/**
 * Reads what a batch of due timers of one kind will need, in a few statements for the whole batch instead of a
 * few per timer (e.g. their SLA clocks, process instances and records), into the batch's memo. A handler looks
 * there first and reads on its own what is missing. Runs in the claiming transaction, before the handlers.
 */
export type TimerPrefetch = (tx: Tx, timers: TimerRow[], memo: Map<string, unknown>) => Promise<void>;
const prefetches = new Map<string, TimerPrefetch>();

export function registerTimerPrefetch(kind: string, prefetch: TimerPrefetch): void {
  prefetches.set(kind, prefetch);
}

export type IoOutcome<R> = { ok: true; value: R } | { ok: false; error: string };

/**
 * A timer whose effect is I/O (SMTP, HTTP): never inside a transaction. prepare() runs in the claiming
 * transaction and says what to send (null: nothing to do, the timer completes); the claim leases the timer
 * (it stays pending, due again after the lease, so a worker that dies mid-send leaves it to another: at least
 * once). perform() runs after commit, outside any transaction. complete() records the outcome in a new short
 * transaction; a throw there retries the timer with backoff.
 */
export interface IoTimerHandler<J = unknown, R = unknown> {
  prepare(tx: Tx, timer: TimerRow, ctx: TimerContext): Promise<J | null>;
  perform(job: J, timer: TimerRow): Promise<R>;
  complete(tx: Tx, timer: TimerRow, job: J, outcome: IoOutcome<R>, ctx: TimerContext): Promise<void>;
  /** How long a claimed send may take before another worker may try again (default 2 min). */
  leaseMs?: number;
}

const ioHandlers = new Map<string, IoTimerHandler>();

export function registerIoTimerHandler<J, R>(kind: string, handler: IoTimerHandler<J, R>): void {
  ioHandlers.set(kind, handler as IoTimerHandler);
}

/** Schedules a timer; a second call with the same key changes nothing and returns false. */
export async function scheduleTimer(tx: Tx, t: TimerSpec): Promise<boolean> {
  const r = await tx.query(
    `INSERT INTO timers (org_id, id, key, kind, ref_type, ref_id, due_at, payload, max_attempts)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT (org_id, key) DO NOTHING`,
    [
      t.orgId,
      randomUUID(),
      t.key,
      t.kind,
      t.refType ?? null,
      t.refId ?? null,
      t.dueAt,
      JSON.stringify(t.payload ?? {}),
      t.maxAttempts ?? 10,
    ],
  );
  return r.rowCount > 0;
}

/** Cancels pending timers of a record (optionally of some kinds). */
export async function cancelTimers(tx: Tx, orgId: string, refId: string, kinds?: string[]): Promise<number> {
  const r = await tx.query(
    `UPDATE timers SET status = 'cancelled' WHERE org_id = $1 AND ref_id = $2 AND status = 'pending'
       AND ($3::text[] IS NULL OR kind = ANY($3::text[]))`,
    [orgId, refId, kinds ?? null],
  );
  return r.rowCount;
}

export interface SweepResult {
  claimed: number;
  fired: number;
  failed: number;
}

/** Backoff for a failed timer: 30 s, 1 min, 2 min … capped at 1 h. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(attempts - 1, 0), 3_600_000);
}

/**
 * Claims and fires up to `batch` due timers in one transaction. Each timer runs under a savepoint, so one
 * failing handler is retried later without undoing the others.
 */
export interface SweepOptions {
  now?: Date;
  batch?: number;
  workerId?: string;
  /** Runs after each handler, inside its savepoint (benchmarks, tests). */
  onFire?: (t: TimerRow) => Promise<void>;
  /** Runs after the whole batch, before commit: a throw here aborts the batch like a crash would (tests). */
  beforeCommit?: () => Promise<void>;
}

export async function sweepDueTimers(db: Db, opts: SweepOptions = {}): Promise<SweepResult> {
  const now = opts.now ?? new Date();
  const workerId = opts.workerId ?? `pid-${process.pid}`;
  const result: SweepResult = { claimed: 0, fired: 0, failed: 0 };
  let sends: Array<{ timer: TimerRow; handler: IoTimerHandler; job: unknown; leasedUntil: Date }> = [];
  /**
   * One batch in one transaction. First without savepoints (a savepoint per timer is two more round trips); if
   * a handler throws, that attempt rolls back whole and the batch runs again with a savepoint per timer, so the
   * failing timer is retried later and the others' effects commit.
   */
  const attempt = (isolate: boolean) =>
    db.transaction(async (tx) => {
      sends = [];
      result.fired = 0;
      result.failed = 0;
      const due = (
        await tx.query<TimerRow>(
          `SELECT * FROM timers WHERE status = 'pending' AND due_at <= $1 ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [now, opts.batch ?? 200],
        )
      ).rows;
      result.claimed = due.length;
      const memo = new Map<string, unknown>();
      const byKind = new Map<string, TimerRow[]>();
      for (const timer of due) byKind.set(timer.kind, [...(byKind.get(timer.kind) ?? []), timer]);
      for (const [kind, timers] of byKind) await prefetches.get(kind)?.(tx, timers, memo);
      const done: TimerRow[] = [];
      for (const timer of due) {
        const fire = async (): Promise<boolean> => {
          const io = ioHandlers.get(timer.kind);
          if (io) {
            const job = await io.prepare(tx, timer, { now, workerId, memo });
            if (job !== null) {
              const leasedUntil = new Date(now.getTime() + (io.leaseMs ?? 120_000));
              await tx.query(
                'UPDATE timers SET due_at = $3, attempts = attempts + 1, fired_by = $4 WHERE org_id = $1 AND id = $2',
                [timer.org_id, timer.id, leasedUntil, workerId],
              );
              sends.push({
                timer: { ...timer, attempts: timer.attempts + 1, due_at: leasedUntil },
                handler: io,
                job,
                leasedUntil,
              });
              return false;
            }
          } else {
            const handler = handlers.get(timer.kind);
            if (!handler) throw new Error(`no handler for timer kind ${timer.kind}`);
            await handler(tx, timer, { now, workerId, memo });
          }
          await opts.onFire?.(timer);
          return true;
        };
        if (!isolate) {
          try {
            if (await fire()) done.push(timer);
          } catch (err) {
            throw new HandlerFailed(err);
          }
          continue;
        }
        try {
          if (await tx.savepoint(fire)) done.push(timer);
        } catch (err) {
          // Rows prefetched for the batch may carry what the rolled-back handler changed: read anew.
          memo.clear();
          await failTimer(tx, timer, timer.attempts + 1, err, now);
          result.failed++;
        }
      }
      if (done.length) {
        await tx.query(
          `UPDATE timers t SET status = 'done', fired_at = $3, fired_by = $4, attempts = t.attempts + 1
           FROM unnest($1::uuid[], $2::uuid[]) AS d(org_id, id) WHERE t.org_id = d.org_id AND t.id = d.id`,
          [done.map((x) => x.org_id), done.map((x) => x.id), now, workerId],
        );
        result.fired = done.length;
      }
      await opts.beforeCommit?.();
    });
  try {
    await attempt(false);
  } catch (err) {
    if (!(err instanceof HandlerFailed)) throw err;
    await attempt(true);
  }
  // The I/O, after commit and outside any transaction; then each outcome in its own short transaction.
  const outcomes = await mapLimit(sends, 8, async (s) => {
    try {
      return { ok: true as const, value: await s.handler.perform(s.job, s.timer) };
    } catch (err) {
      return { ok: false as const, error: err instanceof Error ? err.message : String(err) };
    }
  });
  for (const [i, s] of sends.entries()) {
    const completed = await db
      .transaction(async (tx) => {
        const current = (
          await tx.query<TimerRow>('SELECT * FROM timers WHERE org_id = $1 AND id = $2 FOR UPDATE', [
            s.timer.org_id,
            s.timer.id,
          ])
        ).rows[0];
        // Reclaimed by another worker after the lease ran out: that worker records its own outcome.
        if (current?.status !== 'pending' || current.due_at.getTime() !== s.leasedUntil.getTime())
          return false;
        try {
          await tx.savepoint(async () => {
            await s.handler.complete(tx, s.timer, s.job, outcomes[i], { now, workerId, memo: new Map() });
            await tx.query(
              `UPDATE timers SET status = 'done', fired_at = $3, fired_by = $4 WHERE org_id = $1 AND id = $2`,
              [s.timer.org_id, s.timer.id, now, workerId],
            );
          });
          return true;
        } catch (err) {
          await failTimer(tx, s.timer, s.timer.attempts, err, now);
          return false;
        }
      })
      .catch(() => false);
    if (completed) result.fired++;
    else result.failed++;
  }
  return result;
}

/** A handler's throw on the fast path: the batch is redone with a savepoint per timer. */
class HandlerFailed extends Error {
  constructor(readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

async function failTimer(tx: Tx, timer: TimerRow, attempts: number, err: unknown, now: Date) {
  const message = err instanceof Error ? err.message : String(err);
  await tx.query(
    `UPDATE timers SET attempts = $3, last_error = $4,
       status = CASE WHEN $3 >= max_attempts THEN 'failed' ELSE 'pending' END, due_at = $5
     WHERE org_id = $1 AND id = $2`,
    [
      timer.org_id,
      timer.id,
      attempts,
      message.slice(0, 2000),
      new Date(now.getTime() + retryDelayMs(attempts)),
    ],
  );
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const run = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
  return out;
}

/** Deletes finished (done, cancelled, failed) timers older than the retention period, a batch at a time. */
export async function pruneTimers(db: Db, olderThan: Date, batch = 5000): Promise<number> {
  const r = await db.query(
    `DELETE FROM timers WHERE (org_id, id) IN (
       SELECT org_id, id FROM timers WHERE status <> 'pending' AND created_at < $1 AND coalesce(fired_at, created_at) < $1 LIMIT $2)`,
    [olderThan, batch],
  );
  return r.rowCount;
}
