import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { makeImportsModule } from '../src/modules/imports/index.ts';
import { Worker } from '../src/platform/jobs/worker.ts';
import { makeStandaloneWorker } from '../src/worker.ts';
import { as, buildOrg, makeTestApp, type TestApp, type TestOrg } from './harness.ts';

/**
 * The background worker: one pass fires due timers, dispatches committed events and seals the audit trail;
 * finished timers and dispatched events are pruned after the retention period, pending ones never.
 */
let t: TestApp;
let a: TestOrg;
before(async () => {
  t = await makeTestApp();
  a = await buildOrg(t.services);
});
after(() => t.close());

test('one pass dispatches events and seals the audit trail', async () => {
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/customers',
    headers: as(await a.token('admin')),
    payload: { kind: 'person', name: '工作进程客户' },
  });
  assert.equal(r.statusCode, 201);
  const q = async (sql: string) => (await t.db.query<{ n: number }>(sql, [a.orgId])).rows[0].n;
  assert.ok(
    (await q('SELECT count(*)::int AS n FROM domain_events WHERE org_id = $1 AND dispatched_at IS NULL')) > 0,
  );
  assert.ok(
    (await q('SELECT count(*)::int AS n FROM audit_events WHERE org_id = $1 AND chain_seq IS NULL')) > 0,
  );
  const w = new Worker(t.db);
  while (await w.pass());
  assert.equal(
    await q('SELECT count(*)::int AS n FROM domain_events WHERE org_id = $1 AND dispatched_at IS NULL'),
    0,
  );
  assert.equal(
    await q('SELECT count(*)::int AS n FROM audit_events WHERE org_id = $1 AND chain_seq IS NULL'),
    0,
  );
});

test('finished timers and dispatched events older than the retention are pruned; the rest stay', async () => {
  const old = new Date(Date.now() - 10 * 86_400_000);
  const ins = (status: string, created: Date) =>
    t.db.query(
      `INSERT INTO timers (org_id, id, key, kind, due_at, status, created_at, fired_at) VALUES ($1, $2, $3, 'test.kind', $4, $5, $4, CASE WHEN $5 = 'done' THEN $4::timestamptz END)`,
      [a.orgId, randomUUID(), `prune:${randomUUID()}`, created, status],
    );
  await ins('done', old);
  await ins('cancelled', old);
  await ins('done', new Date());
  await ins('pending', old);
  await t.db.query(
    `INSERT INTO domain_events (org_id, id, type, occurred_at, actor_type, data, dispatched_at) VALUES ($1, $2, 'customer.updated', $3, 'system', '{}', $3), ($1, $4, 'customer.updated', $3, 'system', '{}', NULL)`,
    [a.orgId, randomUUID(), old, randomUUID()],
  );
  await new Worker(t.db, { retentionDays: 7 }).prune();
  const timers = (
    await t.db.query<{ status: string }>(
      "SELECT status FROM timers WHERE org_id = $1 AND kind = 'test.kind' ORDER BY status",
      [a.orgId],
    )
  ).rows.map((x) => x.status);
  assert.deepEqual(
    timers,
    ['done', 'pending'],
    'the old finished ones went; the recent one and the pending one stay',
  );
  const events = (
    await t.db.query<{ dispatched: boolean }>(
      'SELECT dispatched_at IS NOT NULL AS dispatched FROM domain_events WHERE org_id = $1 AND occurred_at = $2',
      [a.orgId, old],
    )
  ).rows;
  assert.deepEqual(
    events.map((e) => e.dispatched),
    [false],
    'an undispatched event is never pruned',
  );
});

test('the standalone worker (kept worker) resumes an import whose process died, once', async () => {
  const admin = await a.token('admin');
  const rows = Array.from({ length: 12 }, (_, i) => `工人${i},1380000${String(i).padStart(4, '0')}`);
  const up = await t.app.inject({
    method: 'POST',
    url: '/api/v1/imports?filename=workers.csv',
    headers: as(admin, { 'content-type': 'application/octet-stream' }),
    payload: Buffer.from(['姓名,手机', ...rows].join('\n')),
  });
  assert.equal(up.statusCode, 201, up.body);
  const u = up.json();
  // A `kept serve` process starts it and dies after its first batch: the import stays running, its lease lapses.
  const dead = makeImportsModule(t.db, { customers: t.services.customers, identity: t.services.identity });
  await dead.imports.start(await a.ctx('admin'), u.id, u.suggestedMapping, { batchSize: 3 });
  await dead.imports.shutdown();
  await t.db.query(
    "UPDATE imports SET lease_until = now() - interval '1 second' WHERE org_id = $1 AND id = $2",
    [a.orgId, u.id],
  );
  const status = async () =>
    (await t.app.inject({ method: 'GET', url: `/api/v1/imports/${u.id}`, headers: as(admin) })).json();
  assert.equal((await status()).status, 'running');

  // Two standalone workers pass at once: one claims the import, the other finds nothing to resume.
  const config = { timerPollMs: 1000, retentionDays: 7, timerBatch: 100 };
  const w1 = makeStandaloneWorker(t.db, t.services, config, 'w1');
  const other = {
    ...t.services,
    imports: makeImportsModule(t.db, { customers: t.services.customers, identity: t.services.identity }),
  };
  const w2 = makeStandaloneWorker(t.db, other, config, 'w2');
  await Promise.all([w1.pass(), w2.pass()]);
  await Promise.all([t.services.imports.imports.idle(), other.imports.imports.idle()]);
  const done = await status();
  assert.equal(done.status, 'done');
  assert.deepEqual([done.processedRows, done.createdRows, done.errorRows], [12, 12, 0]);
  const n = await t.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM customers WHERE org_id = $1 AND mobile LIKE '+86138000%'",
    [a.orgId],
  );
  assert.equal(n.rows[0].n, 12, 'every row once');
});
