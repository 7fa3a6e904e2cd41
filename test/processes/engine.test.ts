import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { verifyAudit } from '../../src/platform/audit/audit.ts';
import type { Ctx } from '../../src/platform/context.ts';
import { sweepDueTimers } from '../../src/platform/jobs/timers.ts';
import { complaintLike } from '../fixtures/complaint-like.ts';
import { as, buildOrg, makeTestApp, type TestApp, type TestOrg } from '../harness.ts';

let t: TestApp;
let a: TestOrg;
let customerId: string;

before(async () => {
  t = await makeTestApp();
  a = await buildOrg(t.services);
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/customers',
    headers: as(await a.token('agent')),
    payload: { kind: 'person', name: '投诉客户', mobile: '13566667777' },
  });
  customerId = r.json().id;
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/processes',
    headers: as(await a.token('admin')),
    payload: complaintLike,
  });
  assert.equal(created.statusCode, 201, created.body);
  const pub = await t.app.inject({
    method: 'POST',
    url: '/api/v1/processes/complaint_like/publish',
    headers: as(await a.token('admin')),
  });
  assert.equal(pub.statusCode, 200, pub.body);
});
after(() => t.close());

/** Starts an instance at a given instant, as the agent. */
async function startAt(at: string, ctx?: Ctx) {
  const c = ctx ?? (await a.ctx('agent'));
  return t.db.transaction((tx) =>
    t.services.processes.engine.start(tx, c, {
      definitionKey: 'complaint_like',
      recordType: 'customer',
      recordId: customerId,
      at: new Date(at),
    }),
  );
}

const clocksOf = async (instanceId: string) =>
  (
    await t.db.query<{ clock_key: string; status: string; due_at: Date; breached_at: Date | null }>(
      'SELECT * FROM sla_clocks WHERE org_id = $1 AND instance_id = $2 ORDER BY clock_key',
      [a.orgId, instanceId],
    )
  ).rows;

describe('process engine', () => {
  test('definitions are validated with field paths; only process.manage may change them', async () => {
    const admin = await a.token('admin');
    const bad = {
      ...complaintLike,
      key: 'broken',
      initial: 'nowhere',
      transitions: [{ key: 'x', name: 'x', from: ['accepted'], to: 'mars' }],
    };
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/processes',
      headers: as(admin, { 'accept-language': 'en' }),
      payload: bad,
    });
    assert.equal(r.statusCode, 422);
    assert.equal(r.json().error.fields.initial, 'Unknown state');
    assert.equal(r.json().error.fields['transitions.0.to'], 'Unknown state');
    const agent = await t.app.inject({
      method: 'POST',
      url: '/api/v1/processes',
      headers: as(await a.token('agent')),
      payload: { ...complaintLike, key: 'mine' },
    });
    assert.equal(agent.statusCode, 403);
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/processes',
      headers: as(await a.token('agent')),
    });
    const keys = list.json().items.map((d: { key: string }) => d.key);
    assert.ok(
      keys.includes('p1_new_customer_contact') && keys.includes('p3_return_visit'),
      'built-in templates installed',
    );
  });

  test('a seven-state complaint runs: required fields, guard, roles, two-step approval above an amount', async () => {
    const agent = await a.token('agent');
    const start = await t.app.inject({
      method: 'POST',
      url: '/api/v1/process-instances',
      headers: as(agent),
      payload: { definitionKey: 'complaint_like', recordType: 'customer', recordId: customerId },
    });
    assert.equal(start.statusCode, 201, start.body);
    const id = start.json().id;
    assert.equal(start.json().state, 'accepted');
    const go = (token: string, transition: string, fields?: object, headers: Record<string, string> = {}) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/process-instances/${id}/transitions`,
        headers: as(token, headers),
        payload: { transition, fields },
      });
    assert.equal((await go(agent, 'judge')).statusCode, 200);
    const missing = await go(agent, 'investigate');
    assert.equal(missing.statusCode, 422);
    assert.ok(missing.json().error.fields['fields.department']);
    assert.equal((await go(agent, 'propose', { cause: 'x' })).statusCode, 409, 'not from judging');
    assert.equal((await go(agent, 'investigate', { department: '质量部' })).statusCode, 200);
    assert.equal((await go(agent, 'propose', { cause: '产品批次质量问题' })).statusCode, 200);
    const ask = await go(agent, 'approve_solution', { solution: '换货并补偿', amount: 1500 });
    assert.equal(ask.statusCode, 200);
    assert.equal(ask.json().pendingApproval, true);
    assert.equal(ask.json().state, 'proposing');
    assert.deepEqual(
      ask.json().approvals.map((x: { approverRole: string; status: string }) => [x.approverRole, x.status]),
      [
        ['supervisor', 'pending'],
        ['manager', 'waiting'],
      ],
    );
    assert.equal(
      (await go(agent, 'approve_solution', { solution: 'y', amount: 1 })).statusCode,
      409,
      'blocked while pending',
    );
    const supQueue = await t.app.inject({
      method: 'GET',
      url: '/api/v1/approvals',
      headers: as(await a.token('supervisor')),
    });
    const mine = supQueue.json().items.find((x: { instanceId: string }) => x.instanceId === id);
    assert.ok(mine);
    const wrong = await t.app.inject({
      method: 'POST',
      url: `/api/v1/approvals/${mine.id}/decision`,
      headers: as(agent),
      payload: { decision: 'approve' },
    });
    assert.equal(wrong.statusCode, 403);
    const s1 = await t.app.inject({
      method: 'POST',
      url: `/api/v1/approvals/${mine.id}/decision`,
      headers: as(await a.token('supervisor')),
      payload: { decision: 'approve', comment: '同意' },
    });
    assert.equal(s1.statusCode, 200);
    assert.equal(s1.json().state, 'proposing', 'manager step still to come');
    const mgrItem = (
      await t.app.inject({ method: 'GET', url: '/api/v1/approvals', headers: as(await a.token('manager')) })
    )
      .json()
      .items.find((x: { instanceId: string }) => x.instanceId === id);
    const s2 = await t.app.inject({
      method: 'POST',
      url: `/api/v1/approvals/${mgrItem.id}/decision`,
      headers: as(await a.token('manager')),
      payload: { decision: 'approve' },
    });
    assert.equal(s2.json().state, 'implementing');
    assert.equal(s2.json().data.amount, 1500);
    const resolution = s2.json().clocks.find((c: { key: string }) => c.key === 'resolution');
    assert.equal(resolution.status, 'paused', 'implementing pauses the resolution clock');
    assert.equal((await go(agent, 'implemented')).statusCode, 409, 'guard: customer has not confirmed');
    assert.equal((await go(agent, 'implemented', { customerConfirmed: true })).statusCode, 200);
    assert.equal((await go(agent, 'close')).statusCode, 403, 'only supervisors close');
    const closed = await go(await a.token('supervisor'), 'close');
    assert.equal(closed.json().state, 'closed');
    assert.equal(closed.json().status, 'completed');
    assert.deepEqual(
      closed.json().history.map((h: { to: string }) => h.to),
      ['accepted', 'judging', 'investigating', 'proposing', 'implementing', 'follow_up', 'closed'],
    );
    assert.ok(closed.json().clocks.every((c: { status: string }) => c.status === 'met'));
    assert.equal((await verifyAudit(t.db, a.orgId)).ok, true);
  });

  test('a rejected approval leaves the process where it was, with the comment kept', async () => {
    const inst = await startAt(new Date().toISOString());
    const ctx = await a.ctx('agent');
    for (const [tr, fields] of [
      ['judge', {}],
      ['investigate', { department: '服务部' }],
      ['propose', { cause: '态度' }],
      ['approve_solution', { solution: '道歉', amount: 10 }],
    ] as const) {
      await t.db.transaction((tx) =>
        t.services.processes.engine.transition(tx, ctx, inst.id, tr, { fields }),
      );
    }
    const pending = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/approvals',
        headers: as(await a.token('supervisor')),
      })
    )
      .json()
      .items.find((x: { instanceId: string }) => x.instanceId === inst.id);
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/v1/approvals/${pending.id}/decision`,
      headers: as(await a.token('supervisor')),
      payload: { decision: 'reject', comment: '补偿不够' },
    });
    assert.equal(r.json().state, 'proposing');
    assert.equal(r.json().pendingTransition, null);
    assert.equal(r.json().approvals.length, 1, 'amount under threshold: one step only');
    assert.equal(r.json().approvals[0].comment, '补偿不够');
  });

  test('an SLA of 2 working hours started Wed 2026-09-30 17:00 breaches at 10:00 on 2026-10-08, and escalates once', async () => {
    const inst = await startAt('2026-09-30T17:00:00+08:00');
    const [first] = (await clocksOf(inst.id)).filter((c) => c.clock_key === 'first_response');
    assert.equal(
      first.due_at.toISOString(),
      '2026-10-08T02:00:00.000Z',
      'after the National Day holiday, 10:00 Beijing time',
    );
    const early = await sweepDueTimers(t.db, { now: new Date('2026-10-08T01:59:59Z') });
    assert.equal((await clocksOf(inst.id)).find((c) => c.clock_key === 'first_response')!.status, 'running');
    assert.ok(early.fired >= 1, 'the 50% warning fired before');
    await sweepDueTimers(t.db, { now: new Date('2026-10-08T02:00:00Z') });
    await sweepDueTimers(t.db, { now: new Date('2026-10-08T03:00:00Z') });
    const after = (await clocksOf(inst.id)).find((c) => c.clock_key === 'first_response')!;
    assert.equal(after.status, 'breached_running');
    assert.equal(after.breached_at!.toISOString(), '2026-10-08T02:00:00.000Z');
    const escalations = (
      await t.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM audit_events WHERE org_id = $1 AND entity_id = $2 AND action = 'process.escalate'",
        [a.orgId, inst.id],
      )
    ).rows[0].n;
    assert.equal(escalations, 1);
    const row = (
      await t.db.query<{ priority: string; assignee_id: string }>(
        'SELECT priority, assignee_id FROM process_instances WHERE org_id = $1 AND id = $2',
        [a.orgId, inst.id],
      )
    ).rows[0];
    assert.equal(row.priority, 'high');
    assert.equal(row.assignee_id, a.users.supervisor.id, 'reassigned to the team supervisor');
    const notes = (
      await t.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM notifications WHERE org_id = $1 AND user_id = $2 AND kind = 'process.escalated'",
        [a.orgId, a.users.supervisor.id],
      )
    ).rows[0].n;
    assert.ok(notes >= 1, 'the supervisor is notified');
  });

  test('publishing a new version leaves running instances on their version; new ones take the new one', async () => {
    const admin = await a.token('admin');
    const running = await startAt(new Date().toISOString());
    const v2 = {
      ...complaintLike,
      states: [...complaintLike.states.slice(0, 6), { key: 'closed', name: '已结案（v2）', final: true }],
    };
    const draft = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/processes/complaint_like/draft',
      headers: as(admin),
      payload: v2,
    });
    assert.equal(draft.statusCode, 200, draft.body);
    const stale = await t.app.inject({
      method: 'POST',
      url: '/api/v1/processes/complaint_like/publish',
      headers: as(admin, { 'if-match': '"1"' }),
    });
    assert.equal(stale.statusCode, 412);
    const pub = await t.app.inject({
      method: 'POST',
      url: '/api/v1/processes/complaint_like/publish',
      headers: as(admin),
    });
    assert.equal(pub.json().currentVersion, 2);
    const old = await t.app.inject({
      method: 'GET',
      url: `/api/v1/process-instances/${running.id}`,
      headers: as(await a.token('agent')),
    });
    assert.equal(old.json().versionNumber, 1);
    assert.equal(old.json().states.at(-1).name, '结案');
    const fresh = await startAt(new Date().toISOString());
    const now = await t.app.inject({
      method: 'GET',
      url: `/api/v1/process-instances/${fresh.id}`,
      headers: as(await a.token('agent')),
    });
    assert.equal(now.json().versionNumber, 2);
    assert.equal(now.json().states.at(-1).name, '已结案（v2）');
  });

  test("another org's instance is 404; an unknown transition is 422", async () => {
    const b = await buildOrg(t.services);
    const inst = await startAt(new Date().toISOString());
    const r = await t.app.inject({
      method: 'GET',
      url: `/api/v1/process-instances/${inst.id}`,
      headers: as(await b.token('admin')),
    });
    assert.equal(r.statusCode, 404);
    const u = await t.app.inject({
      method: 'POST',
      url: `/api/v1/process-instances/${inst.id}/transitions`,
      headers: as(await a.token('agent')),
      payload: { transition: 'teleport' },
    });
    assert.equal(u.statusCode, 422);
  });
});
