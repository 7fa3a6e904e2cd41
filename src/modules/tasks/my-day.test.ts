import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildOrg, makeTestApp, type TestApp, type TestOrg } from '../../../test/harness.ts';
import { http } from './test-helpers.ts';

let t: TestApp;
let a: TestOrg;
let h: ReturnType<typeof http>;

before(async () => {
  t = await makeTestApp();
  a = await buildOrg(t.services); // Asia/Shanghai (UTC+8)
  h = http(t);
});
after(() => t.close());

interface Item {
  type: string;
  title: string;
}
const titles = (xs: Item[]) => xs.map((x) => x.title);

// 2030-03-12 in Shanghai is [2030-03-11T16:00Z, 2030-03-12T16:00Z).
const DATE = '2030-03-12';

describe('My day', () => {
  before(async () => {
    const agent = await a.token('agent');
    const mk = (title: string, dueAt: string | null, urgent = false, important = false) =>
      h.post(agent, '/api/v1/tasks', { title, dueAt, urgent, important });
    await mk('a-late-evening', '2030-03-11T15:59:00Z', true, true); // Shanghai 3/11 23:59 → overdue
    await mk('b-just-after-midnight', '2030-03-11T16:30:00Z', true, false); // UTC 3/11, Shanghai 3/12 00:30 → today
    await mk('c-late-tonight', '2030-03-12T15:30:00Z', false, true); // Shanghai 3/12 23:30 → today
    await mk('d-tomorrow-midnight', '2030-03-12T16:00:00Z'); // UTC 3/12, Shanghai 3/13 00:00 → upcoming
    await mk('e-long-overdue', '2030-03-01T02:00:00Z', true, true);
    await mk('f-undated', null);
    await mk('g-far', '2030-04-30T02:00:00Z');
    const done = (await mk('h-done', '2030-03-10T02:00:00Z')).json();
    await h.patch(agent, `/api/v1/tasks/${done.id}`, { status: 'done', outcome: 'ok' });
    await h.post(agent, '/api/v1/promises', {
      what: 'p-promise-today',
      toText: '王先生',
      dueAt: '2030-03-12T04:00:00Z',
    });
    await h.post(await a.token('agent2'), '/api/v1/tasks', {
      title: 'someone-else',
      dueAt: '2030-03-11T00:00:00Z',
    });
  });

  test('groups by the org-local day: overdue oldest first, today, upcoming; done and far items left out', async () => {
    const res = await h.get(await a.token('agent'), `/api/v1/my-day?date=${DATE}`);
    assert.equal(res.statusCode, 200);
    const d = res.json();
    assert.equal(d.date, DATE);
    assert.equal(d.timeZone, 'Asia/Shanghai');
    assert.deepEqual(titles(d.overdue), ['e-long-overdue', 'a-late-evening']);
    assert.deepEqual(titles(d.dueToday), ['b-just-after-midnight', 'p-promise-today', 'c-late-tonight']);
    assert.deepEqual(titles(d.upcoming), ['d-tomorrow-midnight', 'f-undated']);
    assert.equal(d.dueToday[1].type, 'promise');
    assert.deepEqual(titles(d.promises.dueToday), ['p-promise-today']);
    assert.deepEqual(d.counts, { overdue: 2, dueToday: 3, upcoming: 2, promises: 1 });
    assert.deepEqual(titles(d.quadrants.urgentImportant), [
      'e-long-overdue',
      'a-late-evening',
      'p-promise-today',
    ]);
    assert.deepEqual(titles(d.quadrants.urgentNotImportant), ['b-just-after-midnight']);
    assert.deepEqual(titles(d.quadrants.notUrgentImportant), ['c-late-tonight']);
    assert.deepEqual(titles(d.quadrants.notUrgentNotImportant), ['d-tomorrow-midnight', 'f-undated']);
  });

  test('during the day, what is due before now is overdue', async () => {
    const ctx = await a.ctx('agent');
    const d = await t.services.work.myDay.myDay(ctx, { date: DATE }, new Date('2030-03-12T06:00:00Z'));
    assert.deepEqual(titles(d.overdue), [
      'e-long-overdue',
      'a-late-evening',
      'b-just-after-midnight',
      'p-promise-today',
    ]);
    assert.deepEqual(titles(d.dueToday), ['c-late-tonight']);
    assert.deepEqual(titles(d.promises.overdue), ['p-promise-today']);
  });

  test('a UTC org draws the day boundary elsewhere', async () => {
    const sys = await a.ctx('admin');
    const { org } = await t.services.identity.createOrg({
      name: 'UTC 公司',
      slug: `utc-${Date.now()}`,
      adminEmail: `admin@utc${Date.now()}.test`,
      adminPassword: 'correct-horse-42',
      adminName: 'A',
      timeZone: 'UTC',
    });
    assert.ok(sys && org);
    const admin = (await t.services.identity.listUsers({ ...sys, orgId: org.org_id })).find(
      (u) => u.role_key === 'admin',
    );
    assert.ok(admin);
    const ctx = { ...sys, orgId: org.org_id, actor: { ...sys.actor, userId: admin.id } };
    await t.services.tasks.create(ctx, { title: 'utc-late', dueAt: '2030-03-11T16:30:00Z' });
    const d = await t.services.work.myDay.myDay(ctx, { date: DATE });
    assert.deepEqual(titles(d.overdue), ['utc-late'], 'in UTC, 3/11 16:30 is the day before');
  });

  test('bad dates are 422; the team view is for supervisors', async () => {
    const agent = await a.token('agent');
    assert.equal((await h.get(agent, '/api/v1/my-day?date=2030-13-45')).statusCode, 422);
    assert.equal((await h.get(agent, '/api/v1/my-day?date=tomorrow')).statusCode, 422);
    assert.equal((await h.get(agent, '/api/v1/my-day/team')).statusCode, 403);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/my-day' })).statusCode, 401);
    const sup = await a.token('supervisor');
    assert.equal(
      (await h.get(sup, '/api/v1/my-day/team?teamId=00000000-0000-4000-8000-000000000000')).statusCode,
      404,
    );
    const team = await h.get(sup, `/api/v1/my-day/team?date=${DATE}`);
    assert.equal(team.statusCode, 200);
    const agentRow = team.json().members.find((m: { userId: string }) => m.userId === a.users.agent.id);
    assert.deepEqual(agentRow.counts, { overdue: 2, dueToday: 3, upcoming: 2, promises: 1 });
    assert.deepEqual(titles(agentRow.overdue), ['e-long-overdue', 'a-late-evening']);
    const other = team.json().members.find((m: { userId: string }) => m.userId === a.users.agent2.id);
    assert.deepEqual(titles(other.overdue), ['someone-else']);
  });
});
