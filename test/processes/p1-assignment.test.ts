import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sweepDueTimers } from '../../src/platform/jobs/timers.ts';
import { as, buildOrg, makeTestApp, type TestApp, type TestOrg } from '../harness.ts';

/** P1 as a process: assigning a customer starts "contact within 7 days"; reassigning restarts it; silence escalates. */
let t: TestApp;
let a: TestOrg;
before(async () => {
  t = await makeTestApp();
  a = await buildOrg(t.services);
});
after(() => t.close());

test('assignment runs the P1 process: task, 7-day SLA, escalation to the supervisor when nobody calls', async () => {
  const admin = await a.token('admin');
  const sup = await a.token('supervisor');
  const c = (await t.app.inject({ method: 'POST', url: '/api/v1/customers', headers: as(admin), payload: { kind: 'person', name: '新客户甲', ownerId: null } })).json();
  await t.app.inject({ method: 'POST', url: '/api/v1/customers/assign', headers: as(sup), payload: { customerIds: [c.id], strategy: 'agent', agentId: a.users.agent.id } });
  const list = async () =>
    (await t.app.inject({ method: 'GET', url: `/api/v1/process-instances?recordType=customer&recordId=${c.id}`, headers: as(admin) })).json().items as Array<{ id: string; status: string }>;
  const first = await list();
  assert.deepEqual(first.map((i) => i.status), ['active']);
  // Reassigned before anyone called: the first run is cancelled, a new one starts for the new owner.
  await t.app.inject({ method: 'POST', url: '/api/v1/customers/assign', headers: as(sup), payload: { customerIds: [c.id], strategy: 'agent', agentId: a.users.agent2.id } });
  const second = await list();
  assert.deepEqual(second.map((i) => i.status).sort(), ['active', 'cancelled']);
  const active = second.find((i) => i.status === 'active')!;
  const view = (await t.app.inject({ method: 'GET', url: `/api/v1/process-instances/${active.id}`, headers: as(admin) })).json();
  const clock = view.clocks[0];
  assert.equal(clock.status, 'running');
  const days = (new Date(clock.dueAt).getTime() - new Date(clock.startedAt).getTime()) / 86_400_000;
  assert.equal(days, 7);
  const tasks = (await t.db.query<{ assignee_id: string; status: string }>("SELECT assignee_id, status FROM tasks WHERE org_id = $1 AND related_id = $2 AND kind = 'contact_new_customer' ORDER BY created_at", [a.orgId, c.id])).rows;
  assert.deepEqual(tasks.map((x) => [x.assignee_id, x.status]), [[a.users.agent.id, 'cancelled'], [a.users.agent2.id, 'open']]);
  // Nobody records the contact: after 7 days the SLA breaches; the customer goes to the supervisor.
  await sweepDueTimers(t.db, { now: new Date(new Date(clock.dueAt).getTime() + 60_000) });
  const after = (await t.app.inject({ method: 'GET', url: `/api/v1/process-instances/${active.id}`, headers: as(admin) })).json();
  assert.equal(after.clocks[0].status, 'breached_running');
  assert.equal(after.priority, 'high');
  const owner = (await t.app.inject({ method: 'GET', url: `/api/v1/customers/${c.id}`, headers: as(admin) })).json().ownerId;
  assert.equal(owner, a.users.supervisor.id, 'escalated to the team supervisor');
  // The cancelled run never fires.
  const firedForCancelled = (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE org_id = $1 AND entity_id = $2 AND action = 'process.escalate'", [a.orgId, second.find((i) => i.status === 'cancelled')!.id])).rows[0].n;
  assert.equal(firedForCancelled, 0);
});

test('recording the first contact completes P1 and meets its SLA', async () => {
  const admin = await a.token('admin');
  const c = (await t.app.inject({ method: 'POST', url: '/api/v1/customers', headers: as(admin), payload: { kind: 'person', name: '新客户乙', ownerId: a.users.agent.id } })).json();
  const [inst] = (await t.app.inject({ method: 'GET', url: `/api/v1/process-instances?recordType=customer&recordId=${c.id}`, headers: as(admin) })).json().items;
  const done = await t.app.inject({ method: 'POST', url: `/api/v1/process-instances/${inst.id}/transitions`, headers: as(await a.token('agent')), payload: { transition: 'record_contact' } });
  assert.equal(done.statusCode, 200, done.body);
  assert.equal(done.json().status, 'completed');
  assert.equal(done.json().clocks[0].status, 'met');
});
