import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sweepDueTimers } from '../../src/platform/jobs/timers.ts';
import { as, buildOrg, makeTestApp, settle, type TestApp, type TestOrg } from '../harness.ts';

/**
 * P1 as a process that reacts to events, all of it in the template: customer.assigned starts "contact within 7
 * days" (restarting for a new owner); logging a call or completing the contact task moves it to contacted and
 * stops its clock; silence escalates to the supervisor, and that escalation does not restart it.
 */
let t: TestApp;
let a: TestOrg;
before(async () => {
  t = await makeTestApp();
  a = await buildOrg(t.services);
});
after(() => t.close());

const instances = async (customerId: string, token: string) =>
  (
    await t.app.inject({
      method: 'GET',
      url: `/api/v1/process-instances?recordType=customer&recordId=${customerId}`,
      headers: as(token),
    })
  ).json().items as Array<{ id: string; status: string; state: string }>;
const view = async (id: string, token: string) =>
  (await t.app.inject({ method: 'GET', url: `/api/v1/process-instances/${id}`, headers: as(token) })).json();

test('assignment runs the P1 process: task, 7-day SLA, escalation to the supervisor when nobody calls', async () => {
  const admin = await a.token('admin');
  const sup = await a.token('supervisor');
  const c = (
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: as(admin),
      payload: { kind: 'person', name: '新客户甲', ownerId: null },
    })
  ).json();
  await settle(t.db);
  assert.deepEqual(await instances(c.id, admin), [], 'an unassigned customer has no P1');
  await t.app.inject({
    method: 'POST',
    url: '/api/v1/customers/assign',
    headers: as(sup),
    payload: { customerIds: [c.id], strategy: 'agent', agentId: a.users.agent.id },
  });
  await settle(t.db);
  const first = await instances(c.id, admin);
  assert.deepEqual(
    first.map((i) => i.status),
    ['active'],
  );
  // Reassigned before anyone called: the first run is cancelled, a new one starts for the new owner.
  await t.app.inject({
    method: 'POST',
    url: '/api/v1/customers/assign',
    headers: as(sup),
    payload: { customerIds: [c.id], strategy: 'agent', agentId: a.users.agent2.id },
  });
  await settle(t.db);
  const second = await instances(c.id, admin);
  assert.deepEqual(second.map((i) => i.status).sort(), ['active', 'cancelled']);
  const active = second.find((i) => i.status === 'active')!;
  const v = await view(active.id, admin);
  const clock = v.clocks[0];
  assert.equal(clock.status, 'running');
  const days = (new Date(clock.dueAt).getTime() - new Date(clock.startedAt).getTime()) / 86_400_000;
  assert.equal(days, 7);
  const tasks = (
    await t.db.query<{ assignee_id: string; status: string; outcome: string | null }>(
      "SELECT assignee_id, status, outcome FROM tasks WHERE org_id = $1 AND related_id = $2 AND kind = 'contact_new_customer' ORDER BY created_at",
      [a.orgId, c.id],
    )
  ).rows;
  assert.deepEqual(
    tasks.map((x) => [x.assignee_id, x.status, x.outcome]),
    [
      [a.users.agent.id, 'cancelled', 'process_cancelled'],
      [a.users.agent2.id, 'open', null],
    ],
  );
  // Nobody records the contact: after 7 days the SLA breaches; the customer goes to the supervisor.
  await sweepDueTimers(t.db, { now: new Date(new Date(clock.dueAt).getTime() + 60_000) });
  await settle(t.db);
  const after = await view(active.id, admin);
  assert.equal(after.clocks[0].status, 'breached_running');
  assert.equal(after.priority, 'high');
  assert.equal(after.status, 'active', 'the escalation hands the customer over; it does not restart P1');
  const owner = (
    await t.app.inject({ method: 'GET', url: `/api/v1/customers/${c.id}`, headers: as(admin) })
  ).json().ownerId;
  assert.equal(owner, a.users.supervisor.id, 'escalated to the team supervisor');
  assert.equal((await instances(c.id, admin)).length, 2, 'no new run for the escalation');
  // The cancelled run never fires.
  const firedForCancelled = (
    await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_events WHERE org_id = $1 AND entity_id = $2 AND action = 'process.escalate'",
      [a.orgId, second.find((i) => i.status === 'cancelled')!.id],
    )
  ).rows[0].n;
  assert.equal(firedForCancelled, 0);
  const breached = (
    await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM domain_events WHERE org_id = $1 AND record_id = $2 AND type = 'sla.breached'",
      [a.orgId, c.id],
    )
  ).rows[0].n;
  assert.equal(breached, 1, 'sla.breached emitted once');
});

test('taking the transition by hand completes P1 and meets its SLA', async () => {
  const admin = await a.token('admin');
  const c = (
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: as(admin),
      payload: { kind: 'person', name: '新客户乙', ownerId: a.users.agent.id },
    })
  ).json();
  await settle(t.db);
  const [inst] = await instances(c.id, admin);
  const done = await t.app.inject({
    method: 'POST',
    url: `/api/v1/process-instances/${inst.id}/transitions`,
    headers: as(await a.token('agent')),
    payload: { transition: 'record_contact' },
  });
  assert.equal(done.statusCode, 200, done.body);
  assert.equal(done.json().status, 'completed');
  assert.equal(done.json().clocks[0].status, 'met');
});

test('logging a call moves P1 to contacted and stops its clock; a note does not', async () => {
  const admin = await a.token('admin');
  const agent = await a.token('agent');
  const c = (
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: as(admin),
      payload: { kind: 'person', name: '新客户丙', ownerId: a.users.agent.id },
    })
  ).json();
  await settle(t.db);
  const [inst] = await instances(c.id, admin);
  const log = (kind: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/customers/${c.id}/activities`,
      headers: as(agent),
      payload: { kind, body: `${kind} 记录` },
    });
  assert.equal((await log('note')).statusCode, 201);
  await settle(t.db);
  assert.equal((await view(inst.id, admin)).state, 'assigned', 'a note is not a contact');
  assert.equal((await log('call')).statusCode, 201);
  await settle(t.db);
  const v = await view(inst.id, admin);
  assert.equal(v.state, 'contacted');
  assert.equal(v.status, 'completed');
  assert.equal(v.clocks[0].status, 'met');
  const task = (
    await t.db.query<{ status: string; outcome: string }>(
      "SELECT status, outcome FROM tasks WHERE org_id = $1 AND related_id = $2 AND kind = 'contact_new_customer'",
      [a.orgId, c.id],
    )
  ).rows[0];
  assert.deepEqual(
    task,
    { status: 'cancelled', outcome: 'process_completed' },
    'its contact task closes with it',
  );
});

test('completing the contact task moves P1 to contacted', async () => {
  const admin = await a.token('admin');
  const agent = await a.token('agent');
  const c = (
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: as(admin),
      payload: { kind: 'person', name: '新客户丁', ownerId: a.users.agent.id },
    })
  ).json();
  await settle(t.db);
  const [inst] = await instances(c.id, admin);
  const task = (
    await t.db.query<{ id: string }>(
      "SELECT id FROM tasks WHERE org_id = $1 AND related_id = $2 AND kind = 'contact_new_customer' AND status = 'open'",
      [a.orgId, c.id],
    )
  ).rows[0];
  const done = await t.app.inject({
    method: 'PATCH',
    url: `/api/v1/tasks/${task.id}`,
    headers: as(agent),
    payload: { status: 'done', outcome: '已电话联系' },
  });
  assert.equal(done.statusCode, 200, done.body);
  await settle(t.db);
  const v = await view(inst.id, admin);
  assert.equal(v.state, 'contacted');
  assert.equal(v.clocks[0].status, 'met');
});

test('a customer the creator keeps for themself starts no P1', async () => {
  const agent = await a.token('agent');
  const c = (
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: as(agent),
      payload: { kind: 'person', name: '自建客户' },
    })
  ).json();
  await settle(t.db);
  assert.deepEqual(await instances(c.id, agent), []);
});
