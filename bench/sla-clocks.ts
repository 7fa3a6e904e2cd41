// `npm run bench -- sla`: open SLA clocks on PostgreSQL (default 1,000,000). Prints how long the due sweep
// (finding and claiming due timers) takes among all pending timers, then how many breaches per second `kept
// worker` processes fire with the real handlers (clock marked breached, escalation, task, audit events): first
// with 1 worker, then with 4, each on a fresh set of --due (default 10,000) past-due clocks.
//   npm run bench -- sla [--clocks N] [--due N]      (or the older form: sla [clocks] [due])
import type { Db } from '../src/platform/db/db.ts';
import { benchOrg, progress, withBenchDatabase } from './bench-db.ts';
import type { BenchOptions } from './options.ts';
import { startWorkers } from './servers.ts';

export interface SlaPhase {
  workers: number;
  fired: number;
  escalations: number;
  /** From adding the due clocks (workers already idle and polling every 100 ms) until none is left due. */
  seconds: number;
  perSecond: number;
}

export interface SlaFigures {
  clocks: number;
  due: number;
  createSeconds: number;
  pending: number;
  /** Sweep query timings, as text. */
  sweep: Record<string, string>;
  phases: SlaPhase[];
}

interface Setup {
  orgId: string;
  definitionId: string;
  versionId: string;
  customerId: string;
}

/**
 * Inserts `n` process instances with a running SLA clock and its breach timer each. Past-due clocks fell due
 * 1–50 minutes ago; the others fall due from tomorrow over 30 days (none during the benchmark).
 */
async function createClocks(db: Db, s: Setup, n: number, pastDue: boolean, offset: number) {
  await db.query(
    `WITH inst AS (
       INSERT INTO process_instances (org_id, id, definition_id, version_id, record_type, record_id, state, started_at)
       SELECT $1, gen_random_uuid(), $2, $3, 'customer', $4, 'open', now() FROM generate_series(1, $5)
       RETURNING org_id, id
     ), numbered AS (
       SELECT org_id, id, $6 + row_number() OVER () AS k FROM inst
     ), clocks AS (
       INSERT INTO sla_clocks (org_id, id, instance_id, clock_key, status, target, started_at, due_at, total_ms)
       SELECT org_id, gen_random_uuid(), id, 'response', 'running', '{"workingHours":4}', now(),
         CASE WHEN $7 THEN now() - interval '1 minute' * (1 + k % 50) ELSE now() + interval '1 day' + interval '1 second' * ((k * 2593) % 2592000) END,
         14400000
       FROM numbered RETURNING org_id, id, due_at
     )
     INSERT INTO timers (org_id, id, key, kind, ref_type, ref_id, due_at, payload)
     SELECT org_id, gen_random_uuid(), 'sla:' || id || ':breach:' || to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
       'sla.breach', 'sla_clock', id, due_at, jsonb_build_object('dueAt', to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
     FROM clocks`,
    [s.orgId, s.definitionId, s.versionId, s.customerId, n, offset, pastDue],
  );
}

async function timeIt(fn: () => Promise<unknown>, runs = 5): Promise<string> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return `median ${times[Math.floor(runs / 2)].toFixed(1)} ms (min ${times[0].toFixed(1)}, max ${times[runs - 1].toFixed(1)})`;
}

/** Starts `workers` kept worker processes, adds `due` past-due clocks once they are all idle, waits until fired. */
async function firePhase(
  db: Db,
  url: string,
  s: Setup,
  workers: number,
  due: number,
  offset: number,
): Promise<SlaPhase> {
  console.log(
    `  ${workers} worker${workers > 1 ? 's' : ''}: starting ${workers} kept worker process${workers > 1 ? 'es' : ''}`,
  );
  const procs = await startWorkers(url, workers, { KEPT_TIMER_POLL_MS: '100' });
  try {
    // A second of margin: a worker stamps fired_at with the time its sweep began.
    const since = (await db.query<{ t: string }>("SELECT (now() - interval '1 second')::text AS t")).rows[0]
      .t;
    await createClocks(db, s, due, true, offset);
    const started = Date.now();
    const bar = progress(`${workers} worker${workers > 1 ? 's' : ''}: breaches fired`, due);
    const count = async (sql: string, params: unknown[] = [s.orgId, since]) =>
      (await db.query<{ n: number }>(sql, params)).rows[0].n;
    // A claimed batch stays 'pending' to others until it commits: none pending and due = all fired.
    let seconds = 0;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const pendingDue = await count(
        "SELECT count(*)::int AS n FROM timers WHERE org_id = $1 AND status = 'pending' AND due_at <= now()",
        [s.orgId],
      );
      seconds = (Date.now() - started) / 1000;
      bar.update(Math.max(0, due - pendingDue));
      if (pendingDue === 0) break;
    }
    bar.done();
    const fired = await count(
      "SELECT count(*)::int AS n FROM timers WHERE org_id = $1 AND kind = 'sla.breach' AND status = 'done' AND fired_at >= $2::timestamptz",
    );
    const escalations = await count(
      "SELECT count(*)::int AS n FROM audit_events WHERE org_id = $1 AND action = 'process.escalate' AND occurred_at >= $2::timestamptz",
    );
    return { workers, fired, escalations, seconds, perSecond: fired / seconds };
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
  }
}

export async function benchSla(o: BenchOptions): Promise<SlaFigures> {
  const clocks = o.positionals[0] ? Number(o.positionals[0]) : o.clocks;
  const due = o.positionals[1] ? Number(o.positionals[1]) : o.due;
  return withBenchDatabase(o.databaseUrl, async ({ url, db, services: svc }) => {
    const { orgId, ctx } = await benchOrg(svc);
    const customer = await svc.customers.create(ctx, { kind: 'company', name: '压测客户' });
    await svc.processes.definitions.create(ctx, {
      key: 'bench',
      name: 'bench',
      recordType: 'customer',
      initial: 'open',
      states: [
        { key: 'open', name: 'open' },
        { key: 'done', name: 'done', final: true },
      ],
      transitions: [{ key: 'finish', name: 'finish', from: ['open'], to: 'done' }],
      slas: [
        {
          key: 'response',
          name: 'response',
          start: { event: 'start' },
          stop: { enter: ['done'] },
          target: { workingHours: 4 },
          onBreach: [
            { type: 'escalate', raisePriority: true },
            { type: 'create_task', title: 'late {{record.name}}', assignee: 'owner' },
          ],
        },
      ],
    });
    const def = await svc.processes.definitions.publish(ctx, 'bench');
    const versionId = (
      await db.query<{ id: string }>(
        'SELECT id FROM process_versions WHERE org_id = $1 AND definition_id = $2',
        [orgId, def.id],
      )
    ).rows[0].id;
    const s: Setup = { orgId, definitionId: def.id, versionId, customerId: customer.id };

    const bar = progress('creating clocks', clocks);
    const chunk = 50_000;
    for (let done = 0; done < clocks; done += chunk) {
      const n = Math.min(chunk, clocks - done);
      await createClocks(db, s, n, false, done);
      bar.update(done + n);
    }
    const createSeconds = bar.done();
    await db.query('ANALYZE timers');
    await db.query('ANALYZE sla_clocks');

    // The sweep queries among all pending timers, with one phase's worth of due ones among them.
    await createClocks(db, s, due, true, clocks);
    const pending = (
      await db.query<{ n: number }>("SELECT count(*)::int AS n FROM timers WHERE status = 'pending'")
    ).rows[0].n;
    const sweep: Record<string, string> = {
      'claim the next 200 due timers': await timeIt(() =>
        db.transaction((tx) =>
          tx.query(
            "SELECT id FROM timers WHERE status = 'pending' AND due_at <= now() ORDER BY due_at LIMIT 200 FOR UPDATE SKIP LOCKED",
          ),
        ),
      ),
      'count every due timer': await timeIt(() =>
        db.query("SELECT count(*) FROM timers WHERE status = 'pending' AND due_at <= now()"),
      ),
      'find every due SLA clock': await timeIt(() =>
        db.query("SELECT id FROM sla_clocks WHERE status = 'running' AND due_at <= now()"),
      ),
    };
    // Those due clocks go back to the future: each phase adds its own once its workers are up.
    await db.query(
      "UPDATE timers SET due_at = due_at + interval '400 days' WHERE org_id = $1 AND status = 'pending' AND due_at <= now()",
      [orgId],
    );

    const phases = [
      await firePhase(db, url, s, 1, due, clocks + due),
      await firePhase(db, url, s, 4, due, clocks + 2 * due),
    ];
    return { clocks, due, createSeconds, pending, sweep, phases };
  });
}
