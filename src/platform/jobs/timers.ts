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
}

export type TimerHandler = (tx: Tx, timer: TimerRow, ctx: TimerContext) => Promise<void>;

const handlers = new Map<string, TimerHandler>();

/** Modules register one handler per timer kind, e.g. 'sla.breach'. */
export function registerTimerHandler(kind: string, handler: TimerHandler): void {
  handlers.set(kind, handler);
}

/** Schedules a timer; a second call with the same key changes nothing and returns false. */
export async function scheduleTimer(tx: Tx, t: TimerSpec): Promise<boolean> {
  const r = await tx.query(
    `INSERT INTO timers (org_id, id, key, kind, ref_type, ref_id, due_at, payload, max_attempts)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT (org_id, key) DO NOTHING`,
    [t.orgId, randomUUID(), t.key, t.kind, t.refType ?? null, t.refId ?? null, t.dueAt, JSON.stringify(t.payload ?? {}), t.maxAttempts ?? 10],
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
  await db.transaction(async (tx) => {
    const due = (
      await tx.query<TimerRow>(
        `SELECT * FROM timers WHERE status = 'pending' AND due_at <= $1 ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [now, opts.batch ?? 200],
      )
    ).rows;
    result.claimed = due.length;
    for (const timer of due) {
      const handler = handlers.get(timer.kind);
      await tx.query('SAVEPOINT timer');
      try {
        if (!handler) throw new Error(`no handler for timer kind ${timer.kind}`);
        await handler(tx, timer, { now, workerId });
        await opts.onFire?.(timer);
        await tx.query(
          `UPDATE timers SET status = 'done', fired_at = $3, fired_by = $4, attempts = attempts + 1 WHERE org_id = $1 AND id = $2`,
          [timer.org_id, timer.id, now, workerId],
        );
        await tx.query('RELEASE SAVEPOINT timer');
        result.fired++;
      } catch (err) {
        await tx.query('ROLLBACK TO SAVEPOINT timer');
        const attempts = timer.attempts + 1;
        const message = err instanceof Error ? err.message : String(err);
        await tx.query(
          `UPDATE timers SET attempts = $3, last_error = $4,
             status = CASE WHEN $3 >= max_attempts THEN 'failed' ELSE 'pending' END, due_at = $5
           WHERE org_id = $1 AND id = $2`,
          [timer.org_id, timer.id, attempts, message.slice(0, 2000), new Date(now.getTime() + retryDelayMs(attempts))],
        );
        result.failed++;
      }
    }
    await opts.beforeCommit?.();
  });
  return result;
}

/** A worker loop: sweeps until nothing is due, then waits `pollMs`. stop() finishes the sweep in flight. */
export class TimerWorker {
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<unknown> = Promise.resolve();
  constructor(
    private readonly db: Db,
    private readonly opts: { pollMs?: number; batch?: number; workerId?: string; onError?: (err: unknown) => void } = {},
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  private schedule(ms: number) {
    this.timer = setTimeout(() => {
      this.inFlight = this.tick();
    }, ms);
  }

  private async tick() {
    if (!this.running) return;
    let again = false;
    try {
      const r = await sweepDueTimers(this.db, { batch: this.opts.batch, workerId: this.opts.workerId });
      again = r.claimed === (this.opts.batch ?? 200);
    } catch (err) {
      this.opts.onError?.(err);
    }
    if (this.running) this.schedule(again ? 0 : (this.opts.pollMs ?? 1000));
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.inFlight;
  }
}
