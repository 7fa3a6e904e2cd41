import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { buildOrg, makeTestApp, type TestApp, type TestOrg } from '../../../test/harness.ts';
import { systemCtx } from '../context.ts';
import { dispatchEvents, drainEvents, registerConsumer } from './dispatcher.ts';
import { emit } from './events.ts';

/**
 * The dispatcher as consumers rely on it: with several dispatchers at once (workers), each committed event
 * reaches a consumer once and a record's events arrive in the order they were written; a consumer that throws
 * is retried on its own, without holding back the others.
 */
let t: TestApp;
let a: TestOrg;
const seen: Array<{ record: string; n: number; event: string }> = [];
// Fails the first `n` times it meets an event (a batch is first tried whole, then consumer by consumer).
let failures = new Map<string, number>();
const otherSaw: string[] = [];
before(async () => {
  t = await makeTestApp();
  a = await buildOrg(t.services);
  registerConsumer({
    name: 'test.order',
    types: ['customer.updated'],
    async handle(_tx, e) {
      if (e.data.probe !== 'order') return;
      seen.push({ record: e.recordId!, n: Number(e.data.n), event: e.id });
    },
  });
  registerConsumer({
    name: 'test.flaky',
    types: ['customer.deleted'],
    async handle(_tx, e) {
      const left = failures.get(e.id) ?? 0;
      if (left > 0) {
        failures.set(e.id, left - 1);
        throw new Error('flaky consumer');
      }
      otherSaw.push(`flaky:${e.id}`);
    },
  });
  registerConsumer({
    name: 'test.steady',
    types: ['customer.deleted'],
    async handle(_tx, e) {
      otherSaw.push(`steady:${e.id}`);
    },
  });
});
after(() => t.close());

test('several dispatchers at once: every event once, each record’s events in order', async () => {
  const ctx = systemCtx(a.orgId);
  const records = Array.from({ length: 6 }, () => randomUUID());
  // Writers in parallel (6 records × 30 events, each record's in order) while three dispatchers run.
  let writing = true;
  const dispatcher = async (batch: number) => {
    while (writing) await dispatchEvents(t.db, { orgId: a.orgId, batch });
  };
  const dispatchers = [dispatcher(3), dispatcher(7), dispatcher(500)];
  await Promise.all(
    records.map(async (id) => {
      for (let n = 0; n < 30; n++) {
        await t.db.transaction((tx) =>
          emit(tx, ctx, {
            type: 'customer.updated',
            record: { type: 'customer', id },
            data: { probe: 'order', n },
          }),
        );
      }
    }),
  );
  writing = false;
  await Promise.all(dispatchers);
  await drainEvents(t.db, { orgId: a.orgId });
  assert.equal(seen.length, 180, 'each event handled once');
  assert.equal(new Set(seen.map((s) => s.event)).size, 180);
  for (const id of records) {
    const ns = seen.filter((s) => s.record === id).map((s) => s.n);
    assert.deepEqual(
      ns,
      [...ns].sort((x, y) => x - y),
      `record ${id} in order`,
    );
  }
});

test('a consumer that throws is retried alone; the others handle the event once', async () => {
  const ctx = systemCtx(a.orgId);
  const id = randomUUID();
  await t.db.transaction((tx) =>
    emit(tx, ctx, { type: 'customer.deleted', record: { type: 'customer', id }, data: {} }),
  );
  const row = (
    await t.db.query<{ id: string }>(
      "SELECT id FROM domain_events WHERE org_id = $1 AND type = 'customer.deleted' AND record_id = $2",
      [a.orgId, id],
    )
  ).rows[0];
  failures = new Map([[row.id, 2]]);
  const r = await dispatchEvents(t.db, { orgId: a.orgId });
  assert.equal(r.failures, 1);
  assert.deepEqual(
    otherSaw.filter((x) => x.endsWith(row.id)),
    [`steady:${row.id}`],
    'the steady consumer ran once',
  );
  const retry = (
    await t.db.query<{ kind: string; status: string }>(
      'SELECT kind, status FROM timers WHERE org_id = $1 AND ref_id = $2',
      [a.orgId, row.id],
    )
  ).rows;
  assert.deepEqual(retry, [{ kind: 'event.retry', status: 'pending' }]);
  const { sweepDueTimers } = await import('../jobs/timers.ts');
  await sweepDueTimers(t.db, { now: new Date(Date.now() + 60_000) });
  assert.deepEqual(
    otherSaw.filter((x) => x.endsWith(row.id)).sort(),
    [`flaky:${row.id}`, `steady:${row.id}`],
    'the retry ran the flaky consumer alone',
  );
});
