import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildOrg, makeTestApp, type TestApp, type TestOrg } from '../../../test/harness.ts';
import { verifyAudit } from '../../platform/audit/audit.ts';
import { sweepDueTimers } from '../../platform/jobs/timers.ts';
import { http } from './test-helpers.ts';

let t: TestApp;
let a: TestOrg;
let h: ReturnType<typeof http>;

before(async () => {
  t = await makeTestApp();
  a = await buildOrg(t.services);
  h = http(t);
});
after(() => t.close());

const at = (iso: string, ms: number) => new Date(Date.parse(iso) + ms);
const tasksOf = async (promiseId: string) =>
  (
    await t.db.query<{
      assignee_id: string;
      kind: string;
      urgent: boolean;
      important: boolean;
      title: string;
    }>(
      "SELECT * FROM tasks WHERE org_id = $1 AND source_type = 'promise' AND source_id = $2 ORDER BY assignee_id",
      [a.orgId, promiseId],
    )
  ).rows;

describe('promises', () => {
  test('create: 401, 422 without a recipient or with a bad due, 422 for an unseen customer, 201', async () => {
    const agent = await a.token('agent');
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/promises',
          payload: { what: 'x', toText: 'y', dueAt: '2030-01-01T00:00:00Z' },
        })
      ).statusCode,
      401,
    );
    assert.equal(
      (await h.post(agent, '/api/v1/promises', { what: '补发赠品', dueAt: '2030-01-01T00:00:00Z' }))
        .statusCode,
      422,
    );
    assert.equal(
      (await h.post(agent, '/api/v1/promises', { what: '补发赠品', toText: '王先生', dueAt: 'soon' }))
        .statusCode,
      422,
    );
    assert.equal(
      (
        await h.post(agent, '/api/v1/promises', {
          what: '补发赠品',
          customerId: '00000000-0000-4000-8000-000000000000',
          dueAt: '2030-01-01T00:00:00Z',
        })
      ).statusCode,
      422,
    );
    assert.equal(
      (
        await h.post(agent, '/api/v1/promises', {
          what: 'x',
          toText: 'y',
          dueAt: '2030-01-01T00:00:00Z',
          promiserId: a.users.agent2.id,
        })
      ).statusCode,
      403,
    );
    const customer = await h.post(agent, '/api/v1/customers', {
      kind: 'person',
      name: '王先生',
      mobile: '13900139001',
    });
    const ok = await h.post(agent, '/api/v1/promises', {
      what: '补发赠品',
      customerId: customer.json().id,
      dueAt: '2030-01-01T00:00:00Z',
    });
    assert.equal(ok.statusCode, 201);
    assert.equal(ok.json().status, 'open');
    assert.equal(ok.json().promiserId, a.users.agent.id);
  });

  test('an open promise breaks once when due: one task for the promiser, one for their supervisor', async () => {
    const agent = await a.token('agent');
    const p = (
      await h.post(agent, '/api/v1/promises', {
        what: '明天发顺丰',
        toText: '买家 tb_001',
        dueAt: '2031-03-02T10:00:00Z',
      })
    ).json();
    await sweepDueTimers(t.db, { now: at(p.dueAt, -1000) });
    assert.equal((await h.get(agent, `/api/v1/promises/${p.id}`)).json().status, 'open');
    await sweepDueTimers(t.db, { now: at(p.dueAt, 1000) });
    await sweepDueTimers(t.db, { now: at(p.dueAt, 2000) });
    const broken = (await h.get(agent, `/api/v1/promises/${p.id}`)).json();
    assert.equal(broken.status, 'broken');
    assert.ok(broken.brokenAt);
    const tasks = await tasksOf(p.id);
    assert.equal(tasks.length, 2);
    assert.deepEqual(
      new Set(tasks.map((x) => x.assignee_id)),
      new Set([a.users.agent.id, a.users.supervisor.id]),
    );
    assert.ok(tasks.every((x) => x.urgent && x.important && x.kind === 'promise_broken'));
    assert.ok(tasks.some((x) => x.title.includes('明天发顺丰')));
    const breaks = (
      await t.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM audit_events WHERE org_id = $1 AND entity_id = $2 AND action = 'promise.break'",
        [a.orgId, p.id],
      )
    ).rows[0].n;
    assert.equal(breaks, 1);
    assert.equal(
      (await h.patch(agent, `/api/v1/promises/${p.id}`, { status: 'kept', note: 'late' })).statusCode,
      409,
    );
  });

  test('a kept promise never breaches; keeping needs a note', async () => {
    const agent = await a.token('agent');
    const p = (
      await h.post(agent, '/api/v1/promises', {
        what: '送小样',
        toText: '李女士',
        dueAt: '2031-04-01T10:00:00Z',
      })
    ).json();
    assert.equal((await h.patch(agent, `/api/v1/promises/${p.id}`, { status: 'kept' })).statusCode, 422);
    assert.equal(
      (await h.patch(await a.token('agent2'), `/api/v1/promises/${p.id}`, { status: 'kept', note: 'x' }))
        .statusCode,
      404,
    );
    const kept = await h.patch(agent, `/api/v1/promises/${p.id}`, { status: 'kept', note: '已随包裹寄出' });
    assert.equal(kept.statusCode, 200);
    assert.equal(kept.json().status, 'kept');
    assert.ok(kept.json().keptAt);
    await sweepDueTimers(t.db, { now: at(p.dueAt, 60_000) });
    assert.equal((await h.get(agent, `/api/v1/promises/${p.id}`)).json().status, 'kept');
    assert.equal((await tasksOf(p.id)).length, 0);
  });

  test('rescheduling moves the breach and keeps the old due time in the audit trail', async () => {
    const agent = await a.token('agent');
    const p = (
      await h.post(agent, '/api/v1/promises', {
        what: '回电说明退款进度',
        toText: '赵先生',
        dueAt: '2031-05-01T10:00:00Z',
      })
    ).json();
    const moved = await h.patch(agent, `/api/v1/promises/${p.id}`, { dueAt: '2031-05-03T10:00:00Z' });
    assert.equal(moved.statusCode, 200);
    await sweepDueTimers(t.db, { now: at(p.dueAt, 60_000) });
    assert.equal(
      (await h.get(agent, `/api/v1/promises/${p.id}`)).json().status,
      'open',
      'the old due time no longer breaks it',
    );
    await sweepDueTimers(t.db, { now: new Date('2031-05-03T10:00:01Z') });
    assert.equal((await h.get(agent, `/api/v1/promises/${p.id}`)).json().status, 'broken');
    const ev = (
      await t.db.query<{ meta: { from: string; to: string } }>(
        "SELECT meta FROM audit_events WHERE org_id = $1 AND entity_id = $2 AND action = 'promise.reschedule'",
        [a.orgId, p.id],
      )
    ).rows;
    assert.equal(ev.length, 1);
    assert.equal(ev[0].meta.from, '2031-05-01T10:00:00.000Z');
    assert.equal(ev[0].meta.to, '2031-05-03T10:00:00.000Z');
  });

  test('moving back to an earlier due time still breaks it there', async () => {
    const agent = await a.token('agent');
    const p = (
      await h.post(agent, '/api/v1/promises', {
        what: '确认尺码',
        toText: '孙女士',
        dueAt: '2031-06-01T10:00:00Z',
      })
    ).json();
    await h.patch(agent, `/api/v1/promises/${p.id}`, { dueAt: '2031-06-05T10:00:00Z' });
    await h.patch(agent, `/api/v1/promises/${p.id}`, { dueAt: '2031-06-01T10:00:00Z' });
    await sweepDueTimers(t.db, { now: at(p.dueAt, 1000) });
    assert.equal((await h.get(agent, `/api/v1/promises/${p.id}`)).json().status, 'broken');
    assert.equal((await tasksOf(p.id)).filter((x) => x.assignee_id === a.users.agent.id).length, 1);
  });

  test('lists: mine by default, the team for supervisors; the trail verifies', async () => {
    const agent = await a.token('agent');
    await h.post(agent, '/api/v1/promises', {
      what: '年底回访',
      toText: '周先生',
      dueAt: '2099-01-01T00:00:00Z',
    });
    const mine = (await h.get(agent, '/api/v1/promises?status=open')).json().items as Array<{
      promiserId: string;
      status: string;
    }>;
    assert.ok(mine.length > 0 && mine.every((x) => x.promiserId === a.users.agent.id && x.status === 'open'));
    assert.equal((await h.get(agent, '/api/v1/promises?promiser=team')).statusCode, 403);
    assert.equal(
      (await h.get(await a.token('supervisor'), '/api/v1/promises?promiser=team')).statusCode,
      200,
    );
    const report = await verifyAudit(t.db, a.orgId);
    assert.equal(report.ok, true, JSON.stringify(report.firstProblem));
  });
});
