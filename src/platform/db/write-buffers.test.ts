import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildOrg, makeTestApp, type TestApp, type TestOrg } from '../../../test/harness.ts';
import { recordAudit } from '../audit/audit.ts';
import { emit } from '../events/events.ts';

/**
 * Audit and domain events are buffered per transaction and written in one statement at commit: a rollback
 * writes none of them, a savepoint that rolls back drops only its own, and the order of writing is kept.
 */
let t: TestApp;
let a: TestOrg;
before(async () => {
  t = await makeTestApp();
  a = await buildOrg(t.services);
});
after(() => t.close());

const count = async (sql: string) => (await t.db.query<{ n: number }>(sql, [a.orgId])).rows[0].n;
const audits = (action: string) =>
  count(`SELECT count(*)::int AS n FROM audit_events WHERE org_id = $1 AND action = '${action}'`);

test('a rolled-back transaction writes no audit or domain event; a committed one writes all, in order', async () => {
  const ctx = await a.ctx('admin');
  await assert.rejects(
    t.db.transaction(async (tx) => {
      await recordAudit(tx, ctx, { action: 'test.rolled_back', entityType: 'test', entityId: null });
      await emit(tx, ctx, { type: 'customer.updated', data: { probe: 'rolled_back' } });
      throw new Error('boom');
    }),
  );
  assert.equal(await audits('test.rolled_back'), 0);
  await t.db.transaction(async (tx) => {
    for (let i = 0; i < 5; i++)
      await recordAudit(tx, ctx, { action: 'test.ordered', entityType: 'test', entityId: null, meta: { i } });
    await emit(tx, ctx, { type: 'customer.updated', data: { probe: 'kept' } });
  });
  const order = (
    await t.db.query<{ i: number }>(
      "SELECT (meta->>'i')::int AS i FROM audit_events WHERE org_id = $1 AND action = 'test.ordered' ORDER BY seq",
      [a.orgId],
    )
  ).rows.map((r) => r.i);
  assert.deepEqual(order, [0, 1, 2, 3, 4]);
  assert.equal(
    await count("SELECT count(*)::int AS n FROM domain_events WHERE org_id = $1 AND data->>'probe' = 'kept'"),
    1,
  );
  assert.equal(
    await count(
      "SELECT count(*)::int AS n FROM domain_events WHERE org_id = $1 AND data->>'probe' = 'rolled_back'",
    ),
    0,
  );
});

test('a savepoint that rolls back drops its own buffered rows and keeps the rest', async () => {
  const ctx = await a.ctx('admin');
  await t.db.transaction(async (tx) => {
    await recordAudit(tx, ctx, { action: 'test.before_sp', entityType: 'test', entityId: null });
    await assert.rejects(
      tx.savepoint(async () => {
        await recordAudit(tx, ctx, { action: 'test.inside_sp', entityType: 'test', entityId: null });
        await emit(tx, ctx, { type: 'customer.updated', data: { probe: 'inside_sp' } });
        await tx.query('SELECT 1/0');
      }),
    );
    await tx.savepoint(async () => {
      await recordAudit(tx, ctx, { action: 'test.good_sp', entityType: 'test', entityId: null });
    });
  });
  assert.equal(await audits('test.before_sp'), 1);
  assert.equal(await audits('test.inside_sp'), 0);
  assert.equal(await audits('test.good_sp'), 1);
  assert.equal(
    await count(
      "SELECT count(*)::int AS n FROM domain_events WHERE org_id = $1 AND data->>'probe' = 'inside_sp'",
    ),
    0,
  );
});

test('a transaction reads what it buffered, and a savepoint rollback never takes rows buffered before it', async () => {
  const ctx = await a.ctx('admin');
  const newTask = (title: string) => ({ kind: 'general', title, assigneeId: a.users.agent.id, dueAt: null });
  await t.db.transaction(async (tx) => {
    const first = await t.services.tasks.createInTx(tx, ctx, newTask('缓冲任务一'));
    // Naming the tasks table writes the buffered task first: the transaction sees it.
    const seen = (
      await tx.query<{ id: string }>('SELECT id FROM tasks WHERE org_id = $1 AND id = $2', [
        a.orgId,
        first.id,
      ])
    ).rows;
    assert.equal(seen.length, 1);
    await t.services.tasks.createInTx(tx, ctx, newTask('缓冲任务二'));
    await assert.rejects(
      tx.savepoint(async () => {
        await t.services.tasks.createInTx(tx, ctx, newTask('回滚的任务'));
        await tx.query("SELECT count(*) FROM tasks WHERE title = 'x'"); // writes the buffered tasks inside the savepoint
        throw new Error('roll back');
      }),
    );
  });
  const titles = (
    await t.db.query<{ title: string }>(
      "SELECT title FROM tasks WHERE org_id = $1 AND title LIKE '%任务%' ORDER BY title",
      [a.orgId],
    )
  ).rows.map((r) => r.title);
  assert.deepEqual(
    titles.sort(),
    ['缓冲任务一', '缓冲任务二'].sort(),
    'the task buffered before the savepoint stays; the one inside is gone',
  );
  assert.equal(
    (
      await t.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM audit_events WHERE org_id = $1 AND action = 'task.create'",
        [a.orgId],
      )
    ).rows[0].n,
    2,
  );
});
