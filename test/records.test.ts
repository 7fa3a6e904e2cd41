import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { as, buildOrg, makeTestApp, PASSWORD, settle, type TestApp, type TestOrg } from './harness.ts';

/**
 * The record registry as users meet it: a task or promise names a record that must exist in the org and be
 * visible to the actor (422 otherwise); supervisors see and edit only their teams' tasks and promises;
 * notifications open the record they are about, in the reader's language; the records API gives any record's
 * title, route and open work.
 */
let t: TestApp;
let a: TestOrg;
let b: TestOrg;
let outsiderId: string;
before(async () => {
  t = await makeTestApp();
  a = await buildOrg(t.services);
  b = await buildOrg(t.services);
  // A second team in org a, with its own agent: outside the first team's supervisor's scope.
  const adminCtx = await a.ctx('admin');
  const outsider = await t.services.identity.createUser(adminCtx, {
    email: `outsider@${a.slug}.test`,
    name: '二组客服',
    password: PASSWORD,
    roleKey: 'agent',
  });
  await t.services.identity.createTeam(adminCtx, { name: '二组', memberIds: [outsider.id] });
  outsiderId = outsider.id;
});
after(() => t.close());

const call = (token: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, lang = 'en') =>
  t.app.inject({ method, url, headers: as(token, { 'accept-language': lang }), payload: payload as object });

async function customer(
  org: TestOrg,
  who: 'admin' | 'agent',
  name: string,
  extra: Record<string, unknown> = {},
) {
  const r = await call(await org.token(who), 'POST', '/api/v1/customers', { kind: 'person', name, ...extra });
  assert.equal(r.statusCode, 201, r.body);
  return r.json() as { id: string };
}

describe('linked records are checked', () => {
  test('a task linked to a record that does not exist, is in another org or is invisible → 422', async () => {
    const agent = await a.token('agent');
    const mine = await customer(a, 'agent', '我的客户');
    const otherOrg = await customer(b, 'admin', '别的公司的客户');
    const invisible = await customer(a, 'admin', '管理员的客户', { ownerId: a.users.manager.id });
    const base = { title: '回电', relatedType: 'customer' };
    for (const [relatedId, why] of [
      ['00000000-0000-4000-8000-000000000000', 'unknown id'],
      [otherOrg.id, 'another org'],
      [invisible.id, 'not visible to the agent'],
      ['not-a-uuid', 'not an id'],
    ]) {
      const r = await call(agent, 'POST', '/api/v1/tasks', { ...base, relatedId });
      assert.equal(r.statusCode, 422, `${why}: ${r.body}`);
      assert.match(r.json().error.fields.relatedId, /No such record/);
    }
    const badType = await call(agent, 'POST', '/api/v1/tasks', {
      title: 'x',
      relatedType: 'spaceship',
      relatedId: mine.id,
    });
    assert.equal(badType.statusCode, 422);
    assert.ok(badType.json().error.fields.relatedType);
    const zh = await call(agent, 'POST', '/api/v1/tasks', { ...base, relatedId: otherOrg.id }, 'zh-CN');
    assert.match(zh.json().error.fields.relatedId, /记录不存在/);
    const ok = await call(agent, 'POST', '/api/v1/tasks', { ...base, relatedId: mine.id });
    assert.equal(ok.statusCode, 201, ok.body);
    assert.equal(ok.json().relatedId, mine.id);
  });

  test('a promise to a customer of another org or out of sight → 422; to a visible one → 201', async () => {
    const agent = await a.token('agent');
    const otherOrg = await customer(b, 'admin', '别家承诺客户');
    const mine = await customer(a, 'agent', '承诺客户');
    const due = new Date(Date.now() + 86_400_000).toISOString();
    const bad = await call(agent, 'POST', '/api/v1/promises', {
      what: '寄样品',
      customerId: otherOrg.id,
      dueAt: due,
    });
    assert.equal(bad.statusCode, 422, bad.body);
    assert.ok(bad.json().error.fields.customerId);
    const ok = await call(agent, 'POST', '/api/v1/promises', {
      what: '寄样品',
      customerId: mine.id,
      dueAt: due,
    });
    assert.equal(ok.statusCode, 201, ok.body);
  });
});

describe('supervisors work within their teams', () => {
  test('a supervisor sees and edits their team’s tasks and promises, not another team’s', async () => {
    const sup = await a.token('supervisor');
    const admin = await a.token('admin');
    const due = new Date(Date.now() + 86_400_000).toISOString();
    const inTeam = (
      await call(admin, 'POST', '/api/v1/tasks', { title: '一组任务', assigneeId: a.users.agent.id })
    ).json();
    const outTeam = (
      await call(admin, 'POST', '/api/v1/tasks', { title: '二组任务', assigneeId: outsiderId })
    ).json();
    assert.equal((await call(sup, 'GET', `/api/v1/tasks/${inTeam.id}`)).statusCode, 200);
    assert.equal((await call(sup, 'GET', `/api/v1/tasks/${outTeam.id}`)).statusCode, 404);
    assert.equal(
      (await call(sup, 'PATCH', `/api/v1/tasks/${outTeam.id}`, { title: '改了' })).statusCode,
      404,
    );
    assert.equal((await call(sup, 'GET', `/api/v1/tasks?assignee=${outsiderId}`)).statusCode, 403);
    const reassign = await call(sup, 'PATCH', `/api/v1/tasks/${inTeam.id}`, { assigneeId: outsiderId });
    assert.equal(reassign.statusCode, 422, 'cannot hand work to someone outside their teams');
    const manager = await a.token('manager');
    assert.equal(
      (await call(manager, 'GET', `/api/v1/tasks/${outTeam.id}`)).statusCode,
      200,
      'a manager sees all work',
    );

    const pIn = (
      await call(admin, 'POST', '/api/v1/promises', {
        what: '一组承诺',
        toText: '客户',
        promiserId: a.users.agent.id,
        dueAt: due,
      })
    ).json();
    const pOut = (
      await call(admin, 'POST', '/api/v1/promises', {
        what: '二组承诺',
        toText: '客户',
        promiserId: outsiderId,
        dueAt: due,
      })
    ).json();
    assert.equal((await call(sup, 'GET', `/api/v1/promises/${pIn.id}`)).statusCode, 200);
    assert.equal((await call(sup, 'GET', `/api/v1/promises/${pOut.id}`)).statusCode, 404);
    assert.equal(
      (await call(sup, 'PATCH', `/api/v1/promises/${pOut.id}`, { status: 'kept', note: 'x' })).statusCode,
      404,
    );
    const all = (await call(sup, 'GET', '/api/v1/promises?promiser=all'))
      .json()
      .items.map((p: { id: string }) => p.id);
    assert.ok(all.includes(pIn.id) && !all.includes(pOut.id), "'all' means all within their scope");
  });
});

describe('notifications open their record', () => {
  test('assigning a customer notifies the new owner with a link to the customer, in their language', async () => {
    const sup = await a.token('supervisor');
    const c = await customer(a, 'admin', '通知客户', { ownerId: null });
    const r = await call(sup, 'POST', '/api/v1/customers/assign', {
      customerIds: [c.id],
      strategy: 'agent',
      agentId: a.users.agent2.id,
    });
    assert.equal(r.statusCode, 200);
    await settle(t.db);
    const agent2 = await a.token('agent2');
    const find = async (lang: string) =>
      (
        (await call(agent2, 'GET', '/api/v1/notifications', undefined, lang)).json().items as Array<{
          kind: string;
          title: string;
          link: string;
          record: { type: string; id: string } | null;
        }>
      ).find((n) => n.kind === 'customer.assigned' && n.record?.id === c.id);
    const zh = await find('zh-CN');
    assert.ok(zh, 'notified');
    assert.equal(zh.link, `/customers/${c.id}`);
    assert.deepEqual(zh.record, { type: 'customer', id: c.id });
    assert.match(zh.title, /新分配给你的客户/);
    assert.match((await find('en'))!.title, /Customer assigned to you/);
    assert.match((await find('es'))!.title, /Cliente asignado/);
    // Every notification a process sends opens its record too (P1's reminders, escalations).
    const rows = (
      await t.db.query<{ link: string | null; kind: string }>(
        'SELECT link, kind FROM notifications WHERE org_id = $1',
        [a.orgId],
      )
    ).rows;
    for (const n of rows)
      assert.ok(n.link && !n.link.startsWith('/processes/instances/'), `${n.kind}: ${n.link}`);
  });
});

describe('records API', () => {
  test('a record’s title, route and open work; 404 for what the caller cannot see', async () => {
    const agent = await a.token('agent');
    const c = await customer(a, 'agent', '工作卡客户');
    const due = new Date(Date.now() + 86_400_000).toISOString();
    await call(agent, 'POST', '/api/v1/tasks', { title: '跟进', relatedType: 'customer', relatedId: c.id });
    await call(agent, 'POST', '/api/v1/promises', { what: '周五前回电', customerId: c.id, dueAt: due });
    const rec = await call(agent, 'GET', `/api/v1/records/customer/${c.id}`);
    assert.equal(rec.statusCode, 200);
    assert.deepEqual(rec.json(), {
      type: 'customer',
      typeLabel: 'Customer',
      id: c.id,
      title: '工作卡客户',
      route: `/customers/${c.id}`,
    });
    const work = (await call(agent, 'GET', `/api/v1/records/customer/${c.id}/work`)).json();
    assert.deepEqual(
      work.tasks.map((x: { title: string }) => x.title),
      ['跟进'],
    );
    assert.deepEqual(
      work.promises.map((x: { what: string }) => x.what),
      ['周五前回电'],
    );
    assert.equal(
      (await call(await b.token('admin'), 'GET', `/api/v1/records/customer/${c.id}`)).statusCode,
      404,
    );
    assert.equal((await call(agent, 'GET', `/api/v1/records/spaceship/${c.id}`)).statusCode, 404);
  });

  test('the event catalog is served in the caller’s language and listed in OpenAPI', async () => {
    const admin = await a.token('admin');
    const items = (await call(admin, 'GET', '/api/v1/event-types', undefined, 'es')).json().items as Array<{
      type: string;
      description: string;
    }>;
    const types = items.map((i) => i.type);
    for (const ty of [
      'customer.created',
      'customer.updated',
      'customer.assigned',
      'customer.merged',
      'customer.deleted',
      'contact.created',
      'activity.created',
      'task.created',
      'task.completed',
      'task.reassigned',
      'promise.created',
      'promise.kept',
      'promise.broken',
      'process.started',
      'process.transitioned',
      'process.completed',
      'process.cancelled',
      'sla.warning',
      'sla.breached',
      'approval.requested',
      'approval.decided',
      'import.completed',
    ]) {
      assert.ok(types.includes(ty), ty);
    }
    assert.equal(items.find((i) => i.type === 'customer.created')?.description, 'Se creó un cliente');
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    assert.ok(doc.webhooks['customer.created'].post.requestBody, 'OpenAPI lists each event as a webhook');
    assert.equal(
      doc.webhooks['sla.breached'].post.requestBody.content['application/json'].schema.properties.type.const,
      'sla.breached',
    );
  });
});

describe('approvals and audit through the registry', () => {
  test('the approvals inbox names the record and leaves out records the approver cannot see', async () => {
    const admin = await a.token('admin');
    const def = {
      key: 'discount_ok',
      name: 'Discount',
      recordType: 'customer',
      initial: 'asked',
      states: [
        { key: 'asked', name: 'Asked' },
        { key: 'granted', name: 'Granted', final: true },
      ],
      transitions: [
        {
          key: 'grant',
          name: 'Grant',
          from: ['asked'],
          to: 'granted',
          approval: { steps: [{ role: 'supervisor' }] },
        },
      ],
    };
    assert.equal((await call(admin, 'POST', '/api/v1/processes', def)).statusCode, 201);
    assert.equal((await call(admin, 'POST', '/api/v1/processes/discount_ok/publish')).statusCode, 200);
    const agent = await a.token('agent');
    const mine = await customer(a, 'agent', '审批可见客户');
    const hidden = await customer(a, 'admin', '审批不可见客户', { ownerId: a.users.manager.id });
    for (const [token, c] of [
      [agent, mine],
      [admin, hidden],
    ] as const) {
      const started = await call(token, 'POST', '/api/v1/process-instances', {
        definitionKey: 'discount_ok',
        recordType: 'customer',
        recordId: c.id,
      });
      assert.equal(started.statusCode, 201, started.body);
      const asked = await call(token, 'POST', `/api/v1/process-instances/${started.json().id}/transitions`, {
        transition: 'grant',
      });
      assert.equal(asked.json().pendingApproval, true);
    }
    const inbox = (await call(await a.token('supervisor'), 'GET', '/api/v1/approvals')).json()
      .items as Array<{ recordId: string; recordTitle: string; recordRoute: string }>;
    const mineRow = inbox.find((x) => x.recordId === mine.id);
    assert.ok(mineRow, 'the supervisor sees the approval on their team’s customer');
    assert.equal(mineRow.recordTitle, '审批可见客户');
    assert.equal(mineRow.recordRoute, `/customers/${mine.id}`);
    assert.ok(!inbox.some((x) => x.recordId === hidden.id), 'not the one on a customer outside their scope');
    const all = (await call(admin, 'GET', '/api/v1/approvals')).json().items as Array<{ recordId: string }>;
    assert.ok(
      all.some((x) => x.recordId === hidden.id),
      'an admin sees it',
    );
  });

  test('audit events name the record they are about', async () => {
    const admin = await a.token('admin');
    const c = await customer(a, 'admin', '审计标题客户');
    const events = (
      await call(admin, 'GET', `/api/v1/audit-events?entityType=customer&entityId=${c.id}`)
    ).json().items as Array<{ action: string; entity: { title: string; route: string } | null }>;
    assert.deepEqual(
      events.map((e) => [e.action, e.entity]),
      [['customer.create', { title: '审计标题客户', route: `/customers/${c.id}` }]],
    );
  });
});
