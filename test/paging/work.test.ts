/**
 * Paging of the work lists: tasks, promises, cadence templates and runs, process definitions, a record's
 * process instances and the approvals inbox. Sort values sit inside one millisecond (microsecond steps and
 * ties, NULL due dates); each row must come back exactly once, in order, on both engines.
 */

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { as, buildOrg, makeTestApp, settle, type TestApp, type TestOrg } from '../harness.ts';
import { checkBadCursors, checkList, expectedOrder, keysOf, MICROS, stamp, usText } from './helpers.ts';

let t: TestApp;
let a: TestOrg;

before(async () => {
  t = await makeTestApp();
  a = await buildOrg(t.services);
});
after(() => t.close());

const post = async (token: string, url: string, payload: object) => {
  const r = await t.app.inject({ method: 'POST', url, headers: as(token), payload });
  assert.ok(r.statusCode < 300, `${url}: ${r.body}`);
  return r.json();
};
const FUTURE = '2031-01-01T00:00:00Z';

describe('work lists', () => {
  test('tasks: open first, then due time (undated last), then creation', async () => {
    const agent = await a.token('agent');
    const ids: string[] = [];
    for (let i = 0; i < MICROS.length; i++)
      ids.push((await post(agent, '/api/v1/tasks', { title: `t${i}`, dueAt: FUTURE })).id);
    await stamp(t.db, 'tasks', 'due_at', ids, [3, null, 5, 3, 1, null, 3, 2, 6, null, 3]);
    await stamp(t.db, 'tasks', 'created_at', ids, [1, 1, 0, 2, 2, 2, 1, 0, 0, 1, 2]);
    await t.db.query(`UPDATE tasks SET status = 'done', outcome = 'ok' WHERE id = ANY($1::uuid[])`, [
      [ids[0], ids[5], ids[7]],
    ]);
    const keys = await keysOf(
      t.db,
      `SELECT id, (status = 'open')::text AS k0, ${usText('due_at')} AS k1, ${usText('created_at')} AS k2 FROM tasks WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const want = expectedOrder(keys, [{ desc: true, as: 'bool' }, { nulls: 'last' }, {}]);
    await checkList(t, agent, '/api/v1/tasks?assignee=me', want, 'tasks');
    const directory = await t.app.inject({
      method: 'GET',
      url: '/api/v1/users/directory?limit=1',
      headers: as(agent),
    });
    await checkBadCursors(t, agent, '/api/v1/tasks', directory.json().nextCursor);
  });

  test('promises: the soonest due first', async () => {
    const agent = await a.token('agent2');
    const ids: string[] = [];
    for (let i = 0; i < MICROS.length; i++)
      ids.push(
        (await post(agent, '/api/v1/promises', { what: `p${i}`, toText: '王先生', dueAt: FUTURE })).id,
      );
    await stamp(t.db, 'promises', 'due_at', ids);
    const keys = await keysOf(
      t.db,
      `SELECT id, ${usText('due_at')} AS k0 FROM promises WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    await checkList(t, agent, '/api/v1/promises', expectedOrder(keys, [{}]), 'promises');
    const tasks = await t.app.inject({
      method: 'GET',
      url: '/api/v1/tasks?assignee=me&limit=1',
      headers: as(await a.token('agent')),
    });
    await checkBadCursors(t, agent, '/api/v1/promises', tasks.json().nextCursor);
  });

  test('cadence templates (built-in first, then name) and runs (newest first)', async () => {
    const sup = await a.token('supervisor');
    const names = ['nb', 'na', 'nc', 'nb', 'nd', 'nb', 'ne', 'nb', 'nf', 'ng', 'na'];
    for (let i = 0; i < names.length; i++) {
      await post(sup, '/api/v1/cadence-templates', {
        key: `tpl_${i}`,
        name: names[i],
        recordType: 'order',
        steps: [{ channel: 'call', title: '打电话' }],
      });
    }
    await t.app.inject({ method: 'GET', url: '/api/v1/cadence-templates', headers: as(sup) }); // creates the built-ins
    const tkeys = await keysOf(
      t.db,
      'SELECT id, builtin::text AS k0, name AS k1 FROM cadence_templates WHERE org_id = $1',
      [a.orgId],
    );
    assert.ok(
      tkeys.some((k) => k.keys[0] === 'true'),
      'the built-in template is listed too',
    );
    await checkList(
      t,
      sup,
      '/api/v1/cadence-templates',
      expectedOrder(tkeys, [{ desc: true, as: 'bool' }, {}]),
      'cadence templates',
    );

    const template = tkeys.find((k) => k.keys[0] === 'false')!.id;
    const runIds = MICROS.map(() => randomUUID());
    for (const id of runIds) {
      await t.db.query(
        `INSERT INTO cadence_runs (org_id, id, template_id, record_type, record_id, assignee_id) VALUES ($1, $2, $3, 'order', $4, $5)`,
        [a.orgId, id, template, randomUUID(), a.users.agent.id],
      );
    }
    await stamp(t.db, 'cadence_runs', 'created_at', runIds);
    const rkeys = await keysOf(
      t.db,
      `SELECT id, ${usText('created_at')} AS k0 FROM cadence_runs WHERE id = ANY($1::uuid[])`,
      [runIds],
    );
    const want = expectedOrder(rkeys, [{ desc: true }]);
    await checkList(t, sup, '/api/v1/cadence-runs?recordType=order', want, 'cadence runs');
    await checkList(t, await a.token('agent'), '/api/v1/cadence-runs', want, 'cadence runs of the assignee');
  });

  test('process definitions (by key), a record’s instances (newest first), approvals (oldest first)', async () => {
    const admin = await a.token('admin');
    for (const k of ['zz_last', 'aa_first', 'mm_middle', 'p1_a', 'p1_z']) {
      // A draft as the API stores it (the list answers each definition through its schema).
      const draft = {
        key: k,
        name: k,
        recordType: 'customer',
        perRecord: 'multiple',
        triggers: [],
        initial: 'open',
        states: [{ key: 'open', name: 'Open' }],
        transitions: [],
        slas: [],
        automations: [],
      };
      await t.db.query(
        `INSERT INTO process_definitions (org_id, id, key, record_type, draft) VALUES ($1, $2, $3, 'customer', $4)`,
        [a.orgId, randomUUID(), k, JSON.stringify(draft)],
      );
    }
    await t.app.inject({ method: 'GET', url: '/api/v1/processes', headers: as(admin) }); // creates the built-ins
    const dkeys = await keysOf(t.db, 'SELECT id, key AS k0 FROM process_definitions WHERE org_id = $1', [
      a.orgId,
    ]);
    assert.ok(dkeys.length >= 7);
    await checkList(t, admin, '/api/v1/processes', expectedOrder(dkeys, [{}]), 'process definitions');

    // Assigning a customer to an agent starts the P1 process; copies of that instance make the record's list.
    const customer = await post(admin, '/api/v1/customers', {
      kind: 'person',
      name: '流程客户',
      ownerId: a.users.agent.id,
    });
    await settle(t.db); // P1 starts on the customer.assigned event
    const [first] = (
      await t.db.query<{ id: string }>('SELECT id FROM process_instances WHERE record_id = $1', [customer.id])
    ).rows;
    assert.ok(first, 'the P1 instance started');
    const instIds = [first.id];
    for (let i = 1; i < MICROS.length; i++) {
      const id = randomUUID();
      await t.db.query(
        `INSERT INTO process_instances (org_id, id, definition_id, version_id, record_type, record_id, state, status, data, started_at)
         SELECT org_id, $2, definition_id, version_id, record_type, record_id, state, 'cancelled', data, started_at FROM process_instances WHERE id = $1`,
        [first.id, id],
      );
      instIds.push(id);
    }
    await stamp(t.db, 'process_instances', 'started_at', instIds);
    const ikeys = await keysOf(
      t.db,
      `SELECT id, ${usText('started_at')} AS k0 FROM process_instances WHERE record_id = $1`,
      [customer.id],
    );
    await checkList(
      t,
      admin,
      `/api/v1/process-instances?recordType=customer&recordId=${customer.id}`,
      expectedOrder(ikeys, [{ desc: true }]),
      'process instances',
    );

    const approvalIds = MICROS.map(() => randomUUID());
    for (const [i, id] of approvalIds.entries()) {
      await t.db.query(
        `INSERT INTO approvals (org_id, id, instance_id, transition, step, approver_role, status, requested_at)
         VALUES ($1, $2, $3, 'record_contact', 1, $4, 'pending', now())`,
        [a.orgId, id, first.id, i % 2 ? 'supervisor' : 'manager'],
      );
    }
    await stamp(t.db, 'approvals', 'requested_at', approvalIds);
    const akeys = await keysOf(
      t.db,
      `SELECT id, ${usText('requested_at')} AS k0, approver_role AS role FROM approvals WHERE org_id = $1 AND status = 'pending'`,
      [a.orgId],
    );
    await checkList(t, admin, '/api/v1/approvals', expectedOrder(akeys, [{}]), 'approvals (admin: all)');
    const supervisors = (
      await t.db.query<{ id: string }>(
        "SELECT id FROM approvals WHERE approver_role = 'supervisor' AND id = ANY($1::uuid[])",
        [approvalIds],
      )
    ).rows.map((r) => r.id);
    const sup = expectedOrder(
      akeys.filter((k) => supervisors.includes(k.id)),
      [{}],
    );
    await checkList(t, await a.token('supervisor'), '/api/v1/approvals', sup, 'approvals (supervisor role)');
    await checkBadCursors(
      t,
      admin,
      '/api/v1/approvals',
      (await t.app.inject({ method: 'GET', url: '/api/v1/processes?limit=2', headers: as(admin) })).json()
        .nextCursor,
    );
  });
});
