import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DateTime } from 'luxon';
import { sweepDueTimers } from '../../src/platform/jobs/timers.ts';
import { as, buildOrg, makeTestApp, type TestApp, type TestOrg } from '../harness.ts';

/** The built-in P3 return visit: calls land outside quiet hours; an unreached customer is retried another day, another slot. */
let t: TestApp;
let a: TestOrg;
before(async () => {
  t = await makeTestApp();
  a = await buildOrg(t.services);
});
after(() => t.close());

const local = (d: Date) => DateTime.fromJSDate(d, { zone: 'Asia/Shanghai' });
const inQuiet = (d: Date, quiet: Array<[string, string]>) => {
  const m = local(d).hour * 60 + local(d).minute;
  return quiet.some(([s, e]) => {
    const [a1, b1] = [s, e].map((x) => Number(x.slice(0, 2)) * 60 + Number(x.slice(3)));
    return a1 < b1 ? m >= a1 && m < b1 : m >= a1 || m < b1;
  });
};
const slotOf = (d: Date) => (local(d).hour < 12 ? 'morning' : 'afternoon');

test('return visit: first call outside the customer’s quiet hours; unreached → a later working day in another slot', async () => {
  const agent = await a.token('agent');
  const quiet: Array<[string, string]> = [
    ['09:00', '10:30'],
    ['12:00', '14:00'],
    ['21:00', '09:00'],
  ];
  const c = await t.app.inject({
    method: 'POST',
    url: '/api/v1/customers',
    headers: as(agent),
    payload: { kind: 'person', name: '回访客户', mobile: '13511112222' },
  });
  const patched = await t.app.inject({
    method: 'PATCH',
    url: `/api/v1/customers/${c.json().id}`,
    headers: as(agent),
    payload: { quietHours: quiet },
  });
  assert.equal(patched.statusCode, 200, patched.body);
  const ctx = await a.ctx('agent');
  // Built-in templates are installed on first use (listing them is a first use).
  await t.app.inject({ method: 'GET', url: '/api/v1/processes', headers: as(agent) });
  // Thursday 2026-09-24, 08:00 — before working hours and inside the customer's quiet time.
  const inst = await t.db.transaction((tx) =>
    t.services.processes.engine.start(tx, ctx, {
      definitionKey: 'p3_return_visit',
      recordType: 'customer',
      recordId: c.json().id,
      at: new Date('2026-09-24T08:00:00+08:00'),
    }),
  );
  const tasks = async () =>
    (
      await t.db.query<{ due_at: Date; title: string }>(
        "SELECT due_at, title FROM tasks WHERE org_id = $1 AND related_id = $2 AND kind = 'return_visit' ORDER BY created_at",
        [a.orgId, c.json().id],
      )
    ).rows;
  const [first] = await tasks();
  assert.ok(first, 'a first call is scheduled');
  assert.equal(
    inQuiet(first.due_at, quiet),
    false,
    `first call ${local(first.due_at).toISO()} is outside quiet hours`,
  );
  assert.equal(local(first.due_at).toISODate(), '2026-09-24');
  assert.ok(
    local(first.due_at).hour * 60 + local(first.due_at).minute >= 10 * 60 + 30,
    'after the customer’s morning quiet time',
  );

  // The agent calls at that time and does not reach the customer.
  const at = first.due_at;
  await t.db.transaction((tx) =>
    t.services.processes.engine.transition(tx, ctx, inst.id, 'attempt', {}, { at }),
  );
  await t.db.transaction((tx) =>
    t.services.processes.engine.transition(
      tx,
      ctx,
      inst.id,
      'unreached',
      {},
      { at: new Date(at.getTime() + 5 * 60_000) },
    ),
  );
  const all = await tasks();
  assert.equal(all.length, 2, 'a retry is scheduled');
  const retry = all[1].due_at;
  assert.equal(inQuiet(retry, quiet), false);
  assert.ok(local(retry).toISODate()! > local(at).toISODate()!, 'on a later day');
  assert.equal(
    local(retry).toISODate(),
    '2026-09-28',
    'the next working day after the Mid-autumn holiday and weekend',
  );
  assert.notEqual(slotOf(retry), slotOf(at), 'in a different time slot');
  const view = await t.app.inject({
    method: 'GET',
    url: `/api/v1/process-instances/${inst.id}`,
    headers: as(agent),
  });
  assert.equal(view.json().state, 'due', 'back to due for the retry');

  // Reached on the retry; the result needs a satisfaction answer.
  await t.db.transaction((tx) =>
    t.services.processes.engine.transition(tx, ctx, inst.id, 'attempt', {}, { at: retry }),
  );
  await t.db.transaction((tx) =>
    t.services.processes.engine.transition(tx, ctx, inst.id, 'reached', {}, { at: retry }),
  );
  const noAnswer = await t.app.inject({
    method: 'POST',
    url: `/api/v1/process-instances/${inst.id}/transitions`,
    headers: as(agent),
    payload: { transition: 'record_result' },
  });
  assert.equal(noAnswer.statusCode, 422);
  const done = await t.app.inject({
    method: 'POST',
    url: `/api/v1/process-instances/${inst.id}/transitions`,
    headers: as(agent),
    payload: { transition: 'record_result', fields: { satisfaction: '满意' } },
  });
  assert.equal(done.json().status, 'completed');
  // Completed within its 3-working-day SLA: the clock is met and no breach fires later.
  assert.equal(done.json().clocks[0].status, 'met');
  const late = await sweepDueTimers(t.db, { now: new Date('2026-12-31T00:00:00Z') });
  const breaches = (
    await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_events WHERE org_id = $1 AND action = 'sla.breach'",
      [a.orgId],
    )
  ).rows[0].n;
  assert.equal(breaches, 0, `no breach (swept ${late.fired})`);
  // One return visit at a time per customer; after this one is done, a new one may start.
  const again = await t.app.inject({
    method: 'POST',
    url: '/api/v1/process-instances',
    headers: as(agent),
    payload: { definitionKey: 'p3_return_visit', recordType: 'customer', recordId: c.json().id },
  });
  assert.equal(again.statusCode, 201, again.body);
  const twice = await t.app.inject({
    method: 'POST',
    url: '/api/v1/process-instances',
    headers: as(agent),
    payload: { definitionKey: 'p3_return_visit', recordType: 'customer', recordId: c.json().id },
  });
  assert.equal(twice.statusCode, 409);
  assert.equal(twice.json().error.code, 'process_running');
});

test('many random start instants: the scheduled call is never inside the org’s default quiet hours', async () => {
  const agent = await a.token('agent');
  const ctx = await a.ctx('agent');
  const quiet: Array<[string, string]> = [
    ['12:00', '14:00'],
    ['21:00', '09:00'],
  ];
  let seed = 7;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const ids: string[] = [];
  for (let i = 0; i < 25; i++) {
    const c = await t.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: as(agent),
      payload: { kind: 'person', name: `普通客户${i}` },
    });
    ids.push(c.json().id);
    const at = new Date(Date.UTC(2026, 0, 1) + Math.floor(rnd() * 364 * 86_400_000));
    await t.db.transaction((tx) =>
      t.services.processes.engine.start(tx, ctx, {
        definitionKey: 'p3_return_visit',
        recordType: 'customer',
        recordId: c.json().id,
        at,
      }),
    );
  }
  const due = (
    await t.db.query<{ due_at: Date }>(
      "SELECT due_at FROM tasks WHERE org_id = $1 AND related_id = ANY($2::uuid[]) AND kind = 'return_visit'",
      [a.orgId, ids],
    )
  ).rows;
  assert.equal(due.length, 25);
  for (const d of due) assert.equal(inQuiet(d.due_at, quiet), false, local(d.due_at).toISO()!);
});
