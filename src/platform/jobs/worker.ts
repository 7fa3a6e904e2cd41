import { sealAudit } from '../audit/sealer.ts';
import type { Db } from '../db/db.ts';
import { dispatchEvents } from '../events/dispatcher.ts';
import { onEventsCommitted } from '../events/events.ts';
import { pruneIdempotencyKeys } from '../http/idempotency.ts';
import { pruneTimers, sweepDueTimers } from './timers.ts';

export interface WorkerOptions {
  pollMs?: number;
  batch?: number;
  workerId?: string;
  /** Finished timers and dispatched events older than this are deleted (default 7 days). */
  retentionDays?: number;
  onError?: (err: unknown) => void;
  /** Checks run now and then (e.g. the daily holiday-table check): each at most once per `everyMs`. */
  periodic?: Array<{ everyMs: number; run: (now: Date) => Promise<unknown> }>;
}

/**
 * The background worker (`kept serve` runs one, `kept worker` runs one alone; several may share a PostgreSQL
 * server). Each pass, in short transactions: fires due timers, dispatches committed domain events to their
 * consumers, seals new audit events into each org's hash chain and, now and then, prunes what is finished.
 * A commit with events in this process wakes it at once; otherwise it polls every `pollMs`.
 */
export class Worker {
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<unknown> = Promise.resolve();
  private busy = false;
  private again = false;
  private lastPrune = 0;
  private readonly lastPeriodic = new Map<number, number>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly db: Db,
    private readonly opts: WorkerOptions = {},
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = onEventsCommitted(() => this.wake());
    this.schedule(0);
  }

  /** Runs a pass soon (events were committed in this process). */
  wake(): void {
    if (!this.running) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.schedule(0);
  }

  private schedule(ms: number) {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.inFlight = this.tick();
    }, ms);
  }

  /** One pass; true when there is probably more to do right away. */
  async pass(now = new Date()): Promise<boolean> {
    const batch = this.opts.batch ?? 500;
    const workerId = this.opts.workerId;
    const timers = await sweepDueTimers(this.db, { batch, workerId, now });
    const events = await dispatchEvents(this.db, { now });
    const sealed = await sealAudit(this.db);
    for (const [i, p] of (this.opts.periodic ?? []).entries()) {
      if (Date.now() - (this.lastPeriodic.get(i) ?? 0) < p.everyMs) continue;
      this.lastPeriodic.set(i, Date.now());
      await p.run(now).catch((err) => this.opts.onError?.(err));
    }
    if (Date.now() - this.lastPrune > 10 * 60_000) {
      this.lastPrune = Date.now();
      await this.prune(now);
    }
    return timers.claimed === batch || events.events > 0 || sealed.sealed >= 2000;
  }

  async prune(now = new Date()): Promise<void> {
    const cutoff = new Date(now.getTime() - (this.opts.retentionDays ?? 7) * 86_400_000);
    while ((await pruneTimers(this.db, cutoff)) > 0);
    while ((await pruneIdempotencyKeys(this.db, now)) > 0);
    for (;;) {
      const r = await this.db.query(
        `DELETE FROM domain_events WHERE (org_id, id) IN (
           SELECT org_id, id FROM domain_events WHERE dispatched_at < $1 LIMIT 5000)`,
        [cutoff],
      );
      if (!r.rowCount) break;
    }
  }

  private async tick() {
    if (!this.running) return;
    this.busy = true;
    let again = false;
    try {
      again = await this.pass();
    } catch (err) {
      this.opts.onError?.(err);
    }
    this.busy = false;
    if (this.again) {
      this.again = false;
      again = true;
    }
    if (this.running) this.schedule(again ? 0 : (this.opts.pollMs ?? 1000));
  }

  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    await this.inFlight;
  }
}
