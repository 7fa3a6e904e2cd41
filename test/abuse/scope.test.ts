/**
 * Work scope, tried as an attacker: a supervisor reaches the tasks, promises and cadence runs of their teams'
 * members only — the work of an agent outside their teams (about customers that answer 404 to them) is 404 to
 * read or edit, 403 to list by name, and never a target for a new task, promise or run; `POST
 * /cadence-runs/events` stops only runs the caller may work; every id in a request body (related record,
 * assignee/promiser, contact) is checked for org and visibility (422 naming the field).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { as, buildOrg, ctxFor, makeTestApp, PASSWORD, type TestApp, type TestOrg } from '../harness.ts';

let t: TestApp;
let org: TestOrg;
let other: TestOrg;
let sup: string;
let agent: string;
let outsider: { id: string; token: string };
let theirCustomer: string;
let theirContact: string;
let teamCustomer: string;
let theirTask: string;
let teamTask: string;
let theirPromise: string;
let theirRun: string;
const orderId = '0b4a8a3e-5a0e-4c8e-9a53-7b1f3c2d4e5f';

type Method = 'GET' | 'POST' | 'PATCH';
const api = (token: string, method: Method, url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: as(token, { 'accept-language': 'en' }), payload: payload as object });

async function ok(r: Awaited<ReturnType<typeof api>>, status = 201) {
  assert.equal(r.statusCode, status, r.body);
  return r.json();
}

const due = () => new Date(Date.now() + 86_400_000).toISOString();

before(async () => {
  t = await makeTestApp();
  org = await buildOrg(t.services);
  other = await buildOrg(t.services);
  const admin = await org.token('admin');
  sup = await org.token('supervisor');
  agent = await org.token('agent');
  // An agent in no team of the supervisor's.
  const u = await ok(
    await api(admin, 'POST', '/api/v1/users', {
      email: `outsider@${org.slug}.test`,
      name: 'outsider',
      password: PASSWORD,
      roleKey: 'agent',
    }),
  );
  const [row] = await t.services.identity.usersByIds(org.orgId, [u.id]);
  outsider = {
    id: u.id,
    token: (await t.services.auth.createToken(ctxFor(org.orgId, row), { name: 'x' })).token,
  };

  theirCustomer = (
    await ok(await api(outsider.token, 'POST', '/api/v1/customers', { kind: 'company', name: '外组公司' }))
  ).id;
  theirContact = (
    await ok(
      await api(outsider.token, 'POST', '/api/v1/contacts', {
        customerId: theirCustomer,
        name: '外组联系人',
      }),
    )
  ).id;
  teamCustomer = (
    await ok(await api(agent, 'POST', '/api/v1/customers', { kind: 'company', name: '本组公司' }))
  ).id;
  theirTask = (
    await ok(
      await api(outsider.token, 'POST', '/api/v1/tasks', {
        title: '回访外组客户',
        relatedType: 'customer',
        relatedId: theirCustomer,
      }),
    )
  ).id;
  teamTask = (await ok(await api(agent, 'POST', '/api/v1/tasks', { title: '本组任务' }))).id;
  theirPromise = (
    await ok(
      await api(outsider.token, 'POST', '/api/v1/promises', {
        what: '周五前回电',
        customerId: theirCustomer,
        dueAt: due(),
      }),
    )
  ).id;
  theirRun = (
    await ok(
      await api(outsider.token, 'POST', '/api/v1/cadence-runs', {
        templateKey: 'unpaid_order',
        recordType: 'order',
        recordId: orderId,
      }),
    )
  ).id;
});
after(() => t.close());

describe('precondition', () => {
  it("the outsider's customer answers 404 to the supervisor; the team's to the supervisor is visible", async () => {
    assert.equal((await api(sup, 'GET', `/api/v1/customers/${theirCustomer}`)).statusCode, 404);
    assert.equal((await api(sup, 'GET', `/api/v1/customers/${teamCustomer}`)).statusCode, 200);
  });
});

describe("tasks outside the supervisor's teams", () => {
  it('list by that agent: 403; the team list and "all" never show them', async () => {
    assert.equal((await api(sup, 'GET', `/api/v1/tasks?assignee=${outsider.id}`)).statusCode, 403);
    const team = await ok(await api(sup, 'GET', '/api/v1/tasks?assignee=team&limit=200'), 200);
    const ids = team.items.map((x: { id: string }) => x.id);
    assert.ok(ids.includes(teamTask));
    assert.ok(!ids.includes(theirTask));
    const related = await api(
      sup,
      'GET',
      `/api/v1/tasks?assignee=team&relatedType=customer&relatedId=${theirCustomer}`,
    );
    assert.deepEqual(related.json().items ?? [], []);
  });

  it('get, edit, complete and reassign: 404 (no hint that it exists), task unchanged', async () => {
    assert.equal((await api(sup, 'GET', `/api/v1/tasks/${theirTask}`)).statusCode, 404);
    for (const patch of [
      { title: 'hijacked' },
      { status: 'done', outcome: 'closed by someone else' },
      { status: 'cancelled' },
      { assigneeId: org.users.agent.id },
    ]) {
      const r = await api(sup, 'PATCH', `/api/v1/tasks/${theirTask}`, patch);
      assert.equal(r.statusCode, 404, `${JSON.stringify(patch)}: ${r.body}`);
    }
    const mine = await ok(await api(outsider.token, 'GET', `/api/v1/tasks/${theirTask}`), 200);
    assert.equal(mine.title, '回访外组客户');
    assert.equal(mine.status, 'open');
    assert.equal(mine.assigneeId, outsider.id);
  });

  it("an agent without task.read.team cannot reach a teammate's task either", async () => {
    assert.equal((await api(agent, 'GET', `/api/v1/tasks/${theirTask}`)).statusCode, 404);
    const mate = await ok(await api(await org.token('agent2'), 'POST', '/api/v1/tasks', { title: 'mate' }));
    assert.equal((await api(agent, 'GET', `/api/v1/tasks/${mate.id}`)).statusCode, 404);
    assert.equal((await api(agent, 'PATCH', `/api/v1/tasks/${mate.id}`, { title: 'x' })).statusCode, 404);
    assert.equal((await api(agent, 'GET', '/api/v1/tasks?assignee=team')).statusCode, 403);
  });

  it('body ids: assignee outside the teams, related record invisible or of another org → 422 naming the field', async () => {
    const toOutsider = await api(sup, 'POST', '/api/v1/tasks', { title: 'x', assigneeId: outsider.id });
    assert.equal(toOutsider.statusCode, 422, toOutsider.body);
    assert.ok(toOutsider.json().error.fields.assigneeId);
    const reassign = await api(sup, 'PATCH', `/api/v1/tasks/${teamTask}`, { assigneeId: outsider.id });
    assert.equal(reassign.statusCode, 422, reassign.body);
    assert.ok(reassign.json().error.fields.assigneeId);
    const foreignUser = await api(sup, 'POST', '/api/v1/tasks', {
      title: 'x',
      assigneeId: other.users.agent.id,
    });
    assert.equal(foreignUser.statusCode, 422);
    const invisible = await api(sup, 'POST', '/api/v1/tasks', {
      title: 'x',
      relatedType: 'customer',
      relatedId: theirCustomer,
    });
    assert.equal(invisible.statusCode, 422, invisible.body);
    assert.ok(invisible.json().error.fields.relatedId);
    const otherOrg = await ok(
      await api(await other.token('admin'), 'POST', '/api/v1/customers', { kind: 'company', name: '别家' }),
    );
    const foreign = await api(sup, 'POST', '/api/v1/tasks', {
      title: 'x',
      relatedType: 'customer',
      relatedId: otherOrg.id,
    });
    assert.equal(foreign.statusCode, 422);
    assert.ok(foreign.json().error.fields.relatedId);
  });

  it('the record work card of an invisible customer answers 404', async () => {
    assert.equal((await api(sup, 'GET', `/api/v1/records/customer/${theirCustomer}/work`)).statusCode, 404);
  });
});

describe("promises outside the supervisor's teams", () => {
  it('list by that promiser: 403; "team" and "all" leave them out', async () => {
    assert.equal((await api(sup, 'GET', `/api/v1/promises?promiser=${outsider.id}`)).statusCode, 403);
    for (const p of ['team', 'all']) {
      const r = await ok(await api(sup, 'GET', `/api/v1/promises?promiser=${p}&limit=200`), 200);
      assert.ok(!r.items.some((x: { id: string }) => x.id === theirPromise), p);
    }
    const byCustomer = await ok(
      await api(sup, 'GET', `/api/v1/promises?promiser=all&customerId=${theirCustomer}`),
      200,
    );
    assert.deepEqual(byCustomer.items, []);
  });

  it('get, keep, cancel, reschedule: 404, promise unchanged', async () => {
    assert.equal((await api(sup, 'GET', `/api/v1/promises/${theirPromise}`)).statusCode, 404);
    for (const patch of [
      { status: 'kept', note: 'x' },
      { status: 'cancelled' },
      { dueAt: due() },
      { what: 'x' },
    ]) {
      const r = await api(sup, 'PATCH', `/api/v1/promises/${theirPromise}`, patch);
      assert.equal(r.statusCode, 404, `${JSON.stringify(patch)}: ${r.body}`);
    }
    const p = await ok(await api(outsider.token, 'GET', `/api/v1/promises/${theirPromise}`), 200);
    assert.equal(p.status, 'open');
    assert.equal(p.what, '周五前回电');
  });

  it("body ids: invisible customer, promiser outside the teams, another customer's contact → 422", async () => {
    const cust = await api(sup, 'POST', '/api/v1/promises', {
      what: 'x',
      customerId: theirCustomer,
      dueAt: due(),
    });
    assert.equal(cust.statusCode, 422, cust.body);
    assert.ok(cust.json().error.fields.customerId);
    const promiser = await api(sup, 'POST', '/api/v1/promises', {
      what: 'x',
      toText: '张三',
      promiserId: outsider.id,
      dueAt: due(),
    });
    assert.equal(promiser.statusCode, 422, promiser.body);
    assert.ok(promiser.json().error.fields.promiserId);
    // A visible customer with the contact of an invisible one: the contact does not belong to it.
    const contact = await api(sup, 'POST', '/api/v1/promises', {
      what: 'x',
      customerId: teamCustomer,
      contactId: theirContact,
      dueAt: due(),
    });
    assert.equal(contact.statusCode, 422, contact.body);
    assert.ok(contact.json().error.fields.contactId);
    const bare = await api(sup, 'POST', '/api/v1/promises', {
      what: 'x',
      toText: '张三',
      contactId: theirContact,
      dueAt: due(),
    });
    assert.equal(bare.statusCode, 422, bare.body);
    assert.ok(bare.json().error.fields.contactId);
  });
});

describe("cadence runs outside the supervisor's teams", () => {
  it('get and stop: 404; the list leaves them out', async () => {
    assert.equal((await api(sup, 'GET', `/api/v1/cadence-runs/${theirRun}`)).statusCode, 404);
    assert.equal(
      (await api(sup, 'POST', `/api/v1/cadence-runs/${theirRun}/stop`, { reason: 'x' })).statusCode,
      404,
    );
    const list = await ok(await api(sup, 'GET', '/api/v1/cadence-runs?limit=200'), 200);
    assert.ok(!list.items.some((r: { id: string }) => r.id === theirRun));
  });

  it('POST /cadence-runs/events by someone who may not work the run stops nothing', async () => {
    for (const token of [agent, sup, await other.token('admin')]) {
      const r = await ok(
        await api(token, 'POST', '/api/v1/cadence-runs/events', {
          recordType: 'order',
          recordId: orderId,
          event: 'order.paid',
        }),
        200,
      );
      assert.deepEqual(r.stopped, []);
    }
    const run = await ok(await api(outsider.token, 'GET', `/api/v1/cadence-runs/${theirRun}`), 200);
    assert.equal(run.status, 'running');
    // Its own assignee may report the event.
    const own = await ok(
      await api(outsider.token, 'POST', '/api/v1/cadence-runs/events', {
        recordType: 'order',
        recordId: orderId,
        event: 'order.paid',
      }),
      200,
    );
    assert.deepEqual(own.stopped, [theirRun]);
  });

  it('starting a run for an agent outside the teams, or on an invisible customer: 422 naming the field', async () => {
    const r = await api(sup, 'POST', '/api/v1/cadence-runs', {
      templateKey: 'unpaid_order',
      recordType: 'order',
      recordId: orderId,
      assigneeId: outsider.id,
    });
    assert.equal(r.statusCode, 422, r.body);
    assert.ok(r.json().error.fields.assigneeId);
    await ok(
      await api(sup, 'POST', '/api/v1/cadence-templates', {
        key: 'customer_follow',
        name: '客户跟进',
        recordType: 'customer',
        steps: [{ channel: 'call', title: '打电话', offset: {} }],
      }),
    );
    const invisible = await api(sup, 'POST', '/api/v1/cadence-runs', {
      templateKey: 'customer_follow',
      recordType: 'customer',
      recordId: theirCustomer,
    });
    assert.equal(invisible.statusCode, 422, invisible.body);
    assert.ok(invisible.json().error.fields.recordId);
    const visible = await api(sup, 'POST', '/api/v1/cadence-runs', {
      templateKey: 'customer_follow',
      recordType: 'customer',
      recordId: teamCustomer,
    });
    assert.equal(visible.statusCode, 201, visible.body);
  });
});
