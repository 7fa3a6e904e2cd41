import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildOrg, makeTestApp, type TestApp, type TestOrg } from '../../../test/harness.ts';
import { verifyAudit } from '../../platform/audit/audit.ts';
import { http } from './test-helpers.ts';

let t: TestApp;
let a: TestOrg;
let b: TestOrg;
let h: ReturnType<typeof http>;

before(async () => {
  t = await makeTestApp();
  a = await buildOrg(t.services);
  b = await buildOrg(t.services);
  h = http(t);
});
after(() => t.close());

describe('tasks API', () => {
  test('create walks 401 → 403 → 422 → 201, defaulting the assignee to yourself', async () => {
    const agent = await a.token('agent');
    const sup = await a.token('supervisor');
    assert.equal(
      (await t.app.inject({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'x' } })).statusCode,
      401,
    );
    assert.equal(
      (await h.post(agent, '/api/v1/tasks', { title: '给王总回电', assigneeId: a.users.agent2.id }))
        .statusCode,
      403,
    );
    const empty = await h.post(agent, '/api/v1/tasks', { title: '  ' });
    assert.equal(empty.statusCode, 422);
    assert.ok(empty.json().error.fields.title);
    assert.equal((await h.post(agent, '/api/v1/tasks', { title: 'x', dueAt: 'tomorrow' })).statusCode, 422);
    assert.equal(
      (await h.post(sup, '/api/v1/tasks', { title: 'x', assigneeId: '00000000-0000-4000-8000-000000000000' }))
        .statusCode,
      422,
    );
    assert.equal(
      (await h.post(sup, '/api/v1/tasks', { title: 'x', assigneeId: b.users.agent.id })).statusCode,
      422,
      'a user of another org is unknown',
    );
    const mine = await h.post(agent, '/api/v1/tasks', {
      title: '给王总回电',
      dueAt: '2026-01-05T02:00:00Z',
      urgent: true,
      important: true,
      priority: 'high',
    });
    assert.equal(mine.statusCode, 201);
    assert.equal(mine.json().assigneeId, a.users.agent.id);
    assert.equal(mine.json().status, 'open');
    const theirs = await h.post(sup, '/api/v1/tasks', {
      title: '整理回访记录',
      assigneeId: a.users.agent2.id,
      important: true,
    });
    assert.equal(theirs.statusCode, 201);
    assert.equal(theirs.json().assigneeId, a.users.agent2.id);
  });

  test('read: own tasks, team view for supervisors, 404 for others and other orgs', async () => {
    const agent = await a.token('agent');
    const agent2 = await a.token('agent2');
    const sup = await a.token('supervisor');
    const task = (await h.post(agent2, '/api/v1/tasks', { title: '仅 agent2 可见' })).json();
    assert.equal((await h.get(agent, `/api/v1/tasks/${task.id}`)).statusCode, 404);
    assert.equal((await h.get(agent, '/api/v1/tasks/not-an-id')).statusCode, 404);
    assert.equal((await h.get(await b.token('supervisor'), `/api/v1/tasks/${task.id}`)).statusCode, 404);
    assert.equal((await h.get(sup, `/api/v1/tasks/${task.id}`)).statusCode, 200);
    assert.equal((await h.get(agent, '/api/v1/tasks?assignee=team')).statusCode, 403);
    assert.equal((await h.get(agent, `/api/v1/tasks?assignee=${a.users.agent2.id}`)).statusCode, 403);
    const team = (await h.get(sup, '/api/v1/tasks?assignee=team')).json().items as Array<{
      assigneeId: string;
    }>;
    const who = new Set(team.map((x) => x.assigneeId));
    assert.ok(who.has(a.users.agent.id) && who.has(a.users.agent2.id));
    const mine = (await h.get(agent, '/api/v1/tasks')).json().items as Array<{ assigneeId: string }>;
    assert.ok(mine.length > 0 && mine.every((x) => x.assigneeId === a.users.agent.id));
  });

  test('filters: overdue, due window, quadrant', async () => {
    const agent = await a.token('agent');
    await h.post(agent, '/api/v1/tasks', { title: 'late', dueAt: '2020-01-01T00:00:00Z', urgent: true });
    await h.post(agent, '/api/v1/tasks', { title: 'later', dueAt: '2099-01-01T00:00:00Z', important: true });
    const overdue = (await h.get(agent, '/api/v1/tasks?overdue=true')).json().items as Array<{
      title: string;
    }>;
    assert.ok(overdue.some((x) => x.title === 'late') && !overdue.some((x) => x.title === 'later'));
    const window = (await h.get(agent, '/api/v1/tasks?dueAfter=2098-01-01T00:00:00Z')).json().items as Array<{
      title: string;
    }>;
    assert.deepEqual(
      window.map((x) => x.title),
      ['later'],
    );
    const q = (await h.get(agent, '/api/v1/tasks?quadrant=notUrgentImportant')).json().items as Array<{
      urgent: boolean;
      important: boolean;
    }>;
    assert.ok(q.length > 0 && q.every((x) => !x.urgent && x.important));
    assert.equal((await h.get(agent, '/api/v1/tasks?quadrant=nope')).statusCode, 422);
  });

  test('update: completing needs an outcome; stale If-Match is 412; reassigning needs task.read.team', async () => {
    const agent = await a.token('agent');
    const sup = await a.token('supervisor');
    const task = (await h.post(agent, '/api/v1/tasks', { title: '确认收货地址' })).json();
    const url = `/api/v1/tasks/${task.id}`;
    const noOutcome = await h.patch(agent, url, { status: 'done' });
    assert.equal(noOutcome.statusCode, 422);
    assert.match(noOutcome.json().error.fields.outcome, /结果/);
    assert.equal((await h.patch(agent, url, { status: 'done', outcome: '   ' })).statusCode, 422);
    assert.equal((await h.patch(agent, url, { status: 'finished' })).statusCode, 422);
    assert.equal((await h.patch(agent, url, { assigneeId: a.users.agent2.id })).statusCode, 403);
    assert.equal((await h.patch(await a.token('agent2'), url, { title: 'x' })).statusCode, 404);
    const edited = await h.patch(agent, url, {
      title: '确认收货地址并回复',
      urgent: true,
      dueAt: '2026-02-01T08:00:00+08:00',
    });
    assert.equal(edited.statusCode, 200);
    assert.equal(edited.json().dueAt, '2026-02-01T00:00:00.000Z');
    assert.equal(
      (await h.patch(agent, url, { status: 'done', outcome: 'x' }, { 'if-match': '"1"' })).statusCode,
      412,
    );
    const done = await h.patch(
      agent,
      url,
      { status: 'done', outcome: '客户已确认地址' },
      { 'if-match': edited.headers.etag as string },
    );
    assert.equal(done.statusCode, 200);
    assert.equal(done.json().status, 'done');
    assert.equal(done.json().outcome, '客户已确认地址');
    assert.ok(done.json().completedAt);

    const other = (await h.post(agent, '/api/v1/tasks', { title: '转交' })).json();
    const moved = await h.patch(sup, `/api/v1/tasks/${other.id}`, { assigneeId: a.users.agent2.id });
    assert.equal(moved.statusCode, 200);
    assert.equal(moved.json().assigneeId, a.users.agent2.id);
    const actions = (
      await t.db.query<{ action: string }>(
        'SELECT action FROM audit_events WHERE org_id = $1 AND entity_id = $2 ORDER BY seq',
        [a.orgId, other.id],
      )
    ).rows.map((r) => r.action);
    assert.deepEqual(actions, ['task.create', 'task.reassign']);
    const completes = (
      await t.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM audit_events WHERE org_id = $1 AND entity_id = $2 AND action = 'task.complete'",
        [a.orgId, task.id],
      )
    ).rows[0].n;
    assert.equal(completes, 1);
  });

  test('every change is in a verifiable audit trail', async () => {
    const report = await verifyAudit(t.db, a.orgId);
    assert.equal(report.ok, true, JSON.stringify(report.firstProblem));
  });
});
