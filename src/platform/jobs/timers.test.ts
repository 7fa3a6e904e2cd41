import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { buildOrg, makeTestApp, type TestApp, type TestOrg } from '../../../test/harness.ts';
import { recordAudit } from '../audit/audit.ts';
import { systemCtx } from '../context.ts';
import { registerTimerHandler, scheduleTimer, sweepDueTimers } from './timers.ts';

/**
 * A batch of due timers fires in one transaction; a handler that throws is retried later with backoff while the
 * other timers of its batch commit, and nothing the failing handler wrote (rows, audit events) survives.
 */
let t: TestApp;
let a: TestOrg;
before(async () => {
  t = await makeTestApp();
  a = await buildOrg(t.services);
});
after(() => t.close());

registerTimerHandler('test.ok', async (tx, timer) => {
  await recordAudit(tx, systemCtx(timer.org_id), {
    action: 'test.timer_ok',
    entityType: 'timer',
    entityId: timer.id,
  });
});
registerTimerHandler('test.fail', async (tx, timer) => {
  await recordAudit(tx, systemCtx(timer.org_id), {
    action: 'test.timer_fail',
    entityType: 'timer',
    entityId: timer.id,
  });
  await tx.query("UPDATE orgs SET name = 'should not stay' WHERE org_id = $1", [timer.org_id]);
  throw new Error('handler failed on purpose');
});

test('one failing timer does not hold back its batch, and leaves nothing behind', async () => {
  const due = new Date(Date.now() - 1000);
  await t.db.transaction(async (tx) => {
    for (const kind of ['test.ok', 'test.ok', 'test.fail', 'test.ok']) {
      await scheduleTimer(tx, { orgId: a.orgId, key: `t:${randomUUID()}`, kind, dueAt: due });
    }
  });
  const now = new Date();
  const r = await sweepDueTimers(t.db, { now });
  assert.equal(r.fired, 3);
  assert.equal(r.failed, 1);
  const rows = (
    await t.db.query<{
      kind: string;
      status: string;
      attempts: number;
      last_error: string | null;
      due_at: Date;
    }>(
      "SELECT kind, status, attempts, last_error, due_at FROM timers WHERE org_id = $1 AND kind LIKE 'test.%'",
      [a.orgId],
    )
  ).rows;
  assert.deepEqual(
    rows.filter((x) => x.kind === 'test.ok').map((x) => x.status),
    ['done', 'done', 'done'],
  );
  const failed = rows.find((x) => x.kind === 'test.fail')!;
  assert.equal(failed.status, 'pending');
  assert.equal(failed.attempts, 1);
  assert.match(failed.last_error ?? '', /on purpose/);
  assert.equal(new Date(failed.due_at).getTime(), now.getTime() + 30_000, 'retried after 30 s');
  const acts = (
    await t.db.query<{ action: string }>(
      "SELECT action FROM audit_events WHERE org_id = $1 AND action LIKE 'test.timer_%'",
      [a.orgId],
    )
  ).rows.map((x) => x.action);
  assert.deepEqual(acts.sort(), ['test.timer_ok', 'test.timer_ok', 'test.timer_ok']);
  const org = (await t.db.query<{ name: string }>('SELECT name FROM orgs WHERE org_id = $1', [a.orgId]))
    .rows[0];
  assert.notEqual(org.name, 'should not stay');
});
