/**
 * Paging of My day: every section (overdue, due today, upcoming, the quadrants, promises) comes as a first
 * page with a cursor; following it (GET /my-day?section=…&cursor=…) returns each task and promise exactly
 * once, in due order, with tasks and promises due at the same microsecond and undated tasks last.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { as, buildOrg, makeTestApp, type TestApp, type TestOrg } from '../harness.ts';
import {
  assertExactlyOnce,
  checkBadCursors,
  checkList,
  expectedOrder,
  MICROS,
  stamp,
  usText,
  walk,
} from './helpers.ts';

let t: TestApp;
let a: TestOrg;

// 2031-05-20 in Shanghai is [2031-05-19T16:00Z, 2031-05-20T16:00Z); upcoming runs 7 days past its end.
const DATE = '2031-05-20';
const START = '2031-05-19T16:00:00.000000';
const END = '2031-05-20T16:00:00.000000';
const HORIZON = '2031-05-27T16:00:00.000000';

interface Work {
  id: string;
  src: 'task' | 'promise';
  due: string | null;
  urgent: boolean;
  important: boolean;
}
let work: Work[] = [];

const SECTIONS: Record<string, (w: Work) => boolean> = {
  overdue: (w) => w.due !== null && w.due < START,
  dueToday: (w) => w.due !== null && w.due >= START && w.due < END,
  upcoming: (w) => w.due === null || w.due >= END,
  urgentImportant: (w) => w.urgent && w.important,
  urgentNotImportant: (w) => w.urgent && !w.important,
  notUrgentImportant: (w) => !w.urgent && w.important,
  notUrgentNotImportant: (w) => !w.urgent && !w.important,
  promisesOverdue: (w) => w.src === 'promise' && w.due! < START,
  promisesDueToday: (w) => w.src === 'promise' && w.due! >= START && w.due! < END,
};
const expected = (section: string) =>
  expectedOrder(
    work.filter(SECTIONS[section]).map((w) => ({ id: w.id, keys: [w.due, w.src] })),
    [{ nulls: 'last' }, {}],
  );

before(async () => {
  t = await makeTestApp();
  a = await buildOrg(t.services); // Asia/Shanghai
  const agent = await a.token('agent2');
  const post = async (url: string, payload: object) =>
    (await t.app.inject({ method: 'POST', url, headers: as(agent), payload })).json().id as string;
  // Three groups of eleven tasks and four promises each: late yesterday, today, in two days; plus undated tasks.
  for (const [g, base] of [
    [0, '2031-05-19T15:59:59.998001Z'],
    [1, '2031-05-20T01:00:00.123456Z'],
    [2, '2031-05-21T01:00:00.123456Z'],
  ] as const) {
    const tasks: string[] = [];
    for (let i = 0; i < MICROS.length; i++) {
      tasks.push(
        await post('/api/v1/tasks', {
          title: `t${g}-${i}`,
          dueAt: '2031-06-30T00:00:00Z',
          urgent: i % 2 === 0,
          important: i % 3 === 0,
        }),
      );
    }
    await stamp(t.db, 'tasks', 'due_at', tasks, MICROS, base);
    const promises: string[] = [];
    for (let i = 0; i < 4; i++)
      promises.push(
        await post('/api/v1/promises', {
          what: `p${g}-${i}`,
          toText: '王先生',
          dueAt: '2031-06-30T00:00:00Z',
        }),
      );
    // Promises due at the very microseconds some tasks are due: ties across the two sources.
    await stamp(t.db, 'promises', 'due_at', promises, [3, 0, 3, 7], base);
  }
  for (let i = 0; i < 5; i++) await post('/api/v1/tasks', { title: `undated-${i}`, urgent: i === 0 });
  // Outside the day: far future, closed, someone else's.
  await post('/api/v1/tasks', { title: 'far', dueAt: '2031-07-30T00:00:00Z' });
  const done = await post('/api/v1/tasks', { title: 'done', dueAt: '2031-05-20T02:00:00Z' });
  await t.db.query(`UPDATE tasks SET status = 'done', outcome = 'ok' WHERE id = $1`, [done]);
  work = [
    ...(
      await t.db.query<Work>(
        `SELECT id, 'task' AS src, ${usText('due_at')} AS due, urgent, important FROM tasks
         WHERE assignee_id = $1 AND status = 'open' AND (due_at IS NULL OR due_at < $2::timestamptz)`,
        [a.users.agent2.id, `${HORIZON}Z`],
      )
    ).rows,
    ...(
      await t.db.query<Work>(
        `SELECT id, 'promise' AS src, ${usText('due_at')} AS due, due_at < $2::timestamptz AS urgent, true AS important FROM promises
         WHERE promiser_id = $1 AND status = 'open' AND due_at < $3::timestamptz`,
        [a.users.agent2.id, `${END}Z`, `${HORIZON}Z`],
      )
    ).rows,
  ];
  assert.equal(work.length, 3 * 11 + 3 * 4 + 5);
});
after(() => t.close());

describe('My day paging', () => {
  for (const section of Object.keys(SECTIONS)) {
    test(`section ${section}: every item once, in due order`, async () => {
      const want = expected(section);
      assert.ok(want.length > 3, `${section} spans pages`);
      await checkList(
        t,
        await a.token('agent2'),
        `/api/v1/my-day?date=${DATE}&section=${section}`,
        want,
        section,
      );
    });
  }

  test('the day holds first pages, counts of everything, and cursors that continue each section', async () => {
    const agent = await a.token('agent2');
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/my-day?date=${DATE}&limit=3`,
      headers: as(agent),
    });
    assert.equal(res.statusCode, 200);
    const d = res.json();
    assert.deepEqual(d.counts, {
      overdue: expected('overdue').length,
      dueToday: expected('dueToday').length,
      upcoming: expected('upcoming').length,
      promises: expected('promisesOverdue').length + expected('promisesDueToday').length,
    });
    const firstPage: Record<string, Array<{ id: string }>> = {
      overdue: d.overdue,
      dueToday: d.dueToday,
      upcoming: d.upcoming,
      ...d.quadrants,
      promisesOverdue: d.promises.overdue,
      promisesDueToday: d.promises.dueToday,
    };
    for (const section of Object.keys(SECTIONS)) {
      const cursor = d.nextCursors[section];
      assert.ok(cursor, `${section} has more`);
      const rest = await walk(t, agent, `/api/v1/my-day?date=${DATE}&section=${section}`, 4, cursor);
      assertExactlyOnce(
        [...firstPage[section], ...rest.items].map((x) => x.id),
        expected(section),
        section,
      );
    }
    await checkBadCursors(t, agent, `/api/v1/my-day?date=${DATE}&section=dueToday`, d.nextCursors.overdue);
    const noSection = await t.app.inject({
      method: 'GET',
      url: `/api/v1/my-day?cursor=${d.nextCursors.overdue}`,
      headers: as(agent),
    });
    assert.equal(noSection.statusCode, 422);
    assert.ok(noSection.json().error.fields.section);
  });

  test("the team view pages each member's overdue items; supervisors continue them, agents may not", async () => {
    const sup = await a.token('supervisor');
    const team = await t.app.inject({
      method: 'GET',
      url: `/api/v1/my-day/team?date=${DATE}&limit=3`,
      headers: as(sup),
    });
    assert.equal(team.statusCode, 200);
    const row = team.json().members.find((m: { userId: string }) => m.userId === a.users.agent2.id);
    assert.equal(row.overdue.length, 3);
    assert.equal(row.counts.overdue, expected('overdue').length);
    const rest = await walk(
      t,
      sup,
      `/api/v1/my-day?date=${DATE}&section=overdue&userId=${a.users.agent2.id}`,
      7,
      row.overdueNextCursor,
    );
    assertExactlyOnce(
      [...row.overdue, ...rest.items].map((x: { id: string }) => x.id),
      expected('overdue'),
      'team overdue',
    );
    const denied = await t.app.inject({
      method: 'GET',
      url: `/api/v1/my-day?date=${DATE}&section=overdue&userId=${a.users.agent2.id}`,
      headers: as(await a.token('agent')),
    });
    assert.equal(denied.statusCode, 403);
  });
});
