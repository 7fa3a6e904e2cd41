import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Worker } from '../src/platform/jobs/worker.ts';
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
