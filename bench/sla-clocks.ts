// Benchmark: 1,000,000 open SLA clocks on PostgreSQL. Prints how long the due sweep (finding and claiming
// due timers) takes among all pending timers, and how many breach timers per second 4 workers fire with the
// real handlers (mark breached, escalate, create a task, audit). Needs a PostgreSQL server:
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench -- sla [clocks] [due]
// It creates (and drops afterwards) its own database next to the one in DATABASE_URL.
import cliProgress from 'cli-progress';
import pg from 'pg';
import { makeServices } from '../src/kept.ts';
import { loadConfig } from '../src/platform/config/config.ts';
import type { Ctx } from '../src/platform/context.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { PostgresDb } from '../src/platform/db/postgres.ts';
import { sweepDueTimers } from '../src/platform/jobs/timers.ts';
import { actorOf } from '../src/modules/identity/auth.service.ts';

export async function benchSlaClocks(total = 1_000_000, due = 10_000) {
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `kept_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = new PostgresDb(url.toString(), 12);
  const figures: Record<string, string> = {};
  try {
    await migrate(db);
    const config = loadConfig({ KEPT_DEMO: '0', KEPT_LOG_LEVEL: 'silent' });
    const svc = makeServices(db, config);
    const { org, admin: adminUser } = await svc.identity.createOrg({ name: 'Bench', slug: 'bench', adminEmail: 'a@bench.test', adminPassword: 'bench-password' });
    const orgId = org.org_id;
    const u = (await svc.identity.usersByIds(orgId, [adminUser.id]))[0];
    const ctx: Ctx = { orgId, actor: actorOf(u, 'system'), requestId: 'bench', locale: 'zh-CN' };
    const customer = await svc.customers.create(ctx, { kind: 'company', name: '压测客户' });
    await svc.processes.definitions.create(ctx, {
      key: 'bench',
      name: 'bench',
      recordType: 'customer',
      initial: 'open',
      states: [{ key: 'open', name: 'open' }, { key: 'done', name: 'done', final: true }],
      transitions: [{ key: 'finish', name: 'finish', from: ['open'], to: 'done' }],
      slas: [{ key: 'response', name: 'response', start: { event: 'start' }, stop: { enter: ['done'] }, target: { workingHours: 4 }, onBreach: [{ type: 'escalate', raisePriority: true }, { type: 'create_task', title: 'late {{record.name}}', assignee: 'owner' }] }],
    });
    const def = await svc.processes.definitions.publish(ctx, 'bench');
    const version = (await db.query<{ id: string }>('SELECT id FROM process_versions WHERE org_id = $1 AND definition_id = $2', [orgId, def.id])).rows[0].id;

    const bar = new cliProgress.SingleBar({ format: '  creating clocks {bar} {value}/{total}' }, cliProgress.Presets.shades_classic);
    bar.start(total, 0);
    const chunk = 50_000;
    const t0 = Date.now();
    for (let done = 0; done < total; done += chunk) {
      const n = Math.min(chunk, total - done);
      // The first `due` clocks are already past due; the rest fall due over the coming 30 days.
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
             CASE WHEN k <= $7 THEN now() - interval '1 minute' * (1 + k % 50) ELSE now() + interval '1 second' * (60 + (k * 2593) % 2592000) END,
             14400000
           FROM numbered RETURNING org_id, id, due_at
         )
         INSERT INTO timers (org_id, id, key, kind, ref_type, ref_id, due_at, payload)
         SELECT org_id, gen_random_uuid(), 'sla:' || id || ':breach:' || to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'sla.breach', 'sla_clock', id, due_at, jsonb_build_object('dueAt', to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
         FROM clocks`,
        [orgId, def.id, version, customer.id, n, done, due],
      );
      bar.update(done + n);
    }
    bar.stop();
    await db.query('ANALYZE timers');
    await db.query('ANALYZE sla_clocks');
    figures.create = `${total.toLocaleString('en')} clocks + timers created in ${((Date.now() - t0) / 1000).toFixed(1)} s`;

    const pending = (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM timers WHERE status = 'pending'")).rows[0].n;
    const timeIt = async (label: string, fn: () => Promise<unknown>, runs = 5) => {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const s = process.hrtime.bigint();
        await fn();
        times.push(Number(process.hrtime.bigint() - s) / 1e6);
      }
      times.sort((a, b) => a - b);
      figures[label] = `median ${times[Math.floor(runs / 2)].toFixed(1)} ms (min ${times[0].toFixed(1)}, max ${times[runs - 1].toFixed(1)})`;
    };
    await timeIt('due sweep: claim the next 200 due timers among all pending', () =>
      db.transaction((tx) => tx.query("SELECT id FROM timers WHERE status = 'pending' AND due_at <= now() ORDER BY due_at LIMIT 200 FOR UPDATE SKIP LOCKED")),
    );
    await timeIt('due sweep: count every due timer', () => db.query("SELECT count(*) FROM timers WHERE status = 'pending' AND due_at <= now()"));
    await timeIt('due sweep: find every due SLA clock', () => db.query("SELECT id FROM sla_clocks WHERE status = 'running' AND due_at <= now()"));

    // Fire the due breaches with 4 concurrent workers (each its own connections), real handlers included.
    const workers = [0, 1, 2, 3].map(() => new PostgresDb(url.toString(), 2));
    const fireStart = Date.now();
    let fired = 0;
    await Promise.all(
      workers.map(async (w, i) => {
        for (;;) {
          const r = await sweepDueTimers(w, { batch: 100, workerId: `bench-${i}` });
          fired += r.fired;
          if (r.claimed === 0) break;
        }
      }),
    );
    const secs = (Date.now() - fireStart) / 1000;
    for (const w of workers) await w.close();
    figures.fire = `${fired.toLocaleString('en')} breaches fired by 4 workers in ${secs.toFixed(1)} s = ${Math.round(fired / secs).toLocaleString('en')} timers/s (each: clock marked breached, escalation, task, 3 audit events)`;
    figures.pending = `${pending.toLocaleString('en')} pending timers at sweep time`;
  } finally {
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
  return figures;
}


