import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { as, buildOrg, makeTestApp, settle, type TestApp, type TestOrg } from '../harness.ts';

/**
 * Processes react to domain events as data: an admin publishes a definition with a trigger, and it starts on
 * every matching event — no code changed. Conditions (`when`) read the event; automations hear the record's
 * events; a definition that keeps reacting to its own events stops at a bounded depth.
 */
let t: TestApp;
let a: TestOrg;
let admin: string;
before(async () => {
  t = await makeTestApp();
  a = await buildOrg(t.services);
  admin = await a.token('admin');
});
after(() => t.close());

const api = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown, token = admin) =>
  t.app.inject({ method, url, headers: as(token, { 'accept-language': 'en' }), payload: payload as object });

async function publish(def: Record<string, unknown>) {
  const created = await api('POST', '/api/v1/processes', def);
  assert.equal(created.statusCode, 201, created.body);
  const published = await api('POST', `/api/v1/processes/${def.key}/publish`);
  assert.equal(published.statusCode, 200, published.body);
}

const instancesOf = async (customerId: string, key?: string) =>
  (
    await t.db.query<{ id: string; state: string; status: string }>(
      `SELECT i.id, i.state, i.status FROM process_instances i JOIN process_definitions d ON d.org_id = i.org_id AND d.id = i.definition_id
       WHERE i.org_id = $1 AND i.record_id = $2 AND ($3::text IS NULL OR d.key = $3) ORDER BY i.started_at`,
      [a.orgId, customerId, key ?? null],
    )
  ).rows;

const welcome = {
  key: 'welcome_call',
  name: { 'zh-CN': '新客户欢迎电话', en: 'Welcome call', es: 'Llamada de bienvenida' },
  recordType: 'customer',
  perRecord: 'single',
  triggers: [
    { on: 'customer.created', when: { '!=': [{ var: 'event.data.customer.memberLevel' }, '黑名单'] } },
  ],
  initial: 'open',
  states: [
    { key: 'open', name: 'Open' },
    { key: 'done', name: 'Done', final: true },
  ],
  transitions: [{ key: 'finish', name: 'Finish', from: ['open'], to: 'done' }],
  automations: [
    {
      key: 'vip_upgrade',
      on: {
        event: 'customer.updated',
        when: { '==': [{ var: 'event.data.customer.memberLevel' }, '钻石会员'] },
      },
      actions: [{ type: 'transition', transition: 'finish' }],
    },
  ],
};

test('a process published with a trigger on customer.created starts on every new customer', async () => {
  await publish(welcome);
  const made: string[] = [];
  for (const name of ['触发一', '触发二', '触发三']) {
    const r = await api('POST', '/api/v1/customers', { kind: 'person', name });
    assert.equal(r.statusCode, 201);
    made.push(r.json().id);
  }
  // An import creates customers too: each gets it.
  const csv = 'name,mobile\n导入触发甲,13900139001\n导入触发乙,13900139002\n';
  const up = await t.app.inject({
    method: 'POST',
    url: '/api/v1/imports?filename=t.csv',
    headers: { ...as(admin), 'content-type': 'application/octet-stream' },
    payload: Buffer.from(csv),
  });
  assert.equal(up.statusCode, 201, up.body);
  const start = await api('POST', `/api/v1/imports/${up.json().id}/start`, {
    mapping: { name: 'name', mobile: 'mobile' },
  });
  assert.ok(start.statusCode < 300, start.body);
  for (let i = 0; i < 100; i++) {
    const s = (await api('GET', `/api/v1/imports/${up.json().id}`)).json();
    if (s.status === 'done') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const imported = (
    await t.db.query<{ id: string }>("SELECT id FROM customers WHERE org_id = $1 AND name LIKE '导入触发%'", [
      a.orgId,
    ])
  ).rows.map((r) => r.id);
  assert.equal(imported.length, 2);
  await settle(t.db);
  for (const id of [...made, ...imported]) {
    const runs = await instancesOf(id, 'welcome_call');
    assert.deepEqual(
      runs.map((r) => [r.state, r.status]),
      [['open', 'active']],
      `customer ${id}`,
    );
  }
  // Dispatching again changes nothing: each event was handled once.
  await settle(t.db);
  for (const id of made) assert.equal((await instancesOf(id, 'welcome_call')).length, 1);
});

test('the trigger condition reads the event, and automations hear the record’s later events', async () => {
  const black = (
    await api('POST', '/api/v1/customers', { kind: 'person', name: '不触发', memberLevel: '黑名单' })
  ).json();
  const vip = (await api('POST', '/api/v1/customers', { kind: 'person', name: '将升级' })).json();
  await settle(t.db);
  assert.deepEqual(await instancesOf(black.id, 'welcome_call'), [], 'when: false → not started');
  const [run] = await instancesOf(vip.id, 'welcome_call');
  assert.equal((await api('PATCH', `/api/v1/customers/${vip.id}`, { memberLevel: '金卡' })).statusCode, 200);
  await settle(t.db);
  assert.equal(
    (await instancesOf(vip.id, 'welcome_call'))[0].state,
    'open',
    'another level: the automation waits',
  );
  assert.equal(
    (await api('PATCH', `/api/v1/customers/${vip.id}`, { memberLevel: '钻石会员' })).statusCode,
    200,
  );
  await settle(t.db);
  const [after] = await instancesOf(vip.id, 'welcome_call');
  assert.equal(after.id, run.id);
  assert.deepEqual([after.state, after.status], ['done', 'completed']);
  const events = (
    await t.db.query<{ type: string }>(
      "SELECT type FROM domain_events WHERE org_id = $1 AND record_id = $2 AND type LIKE 'process.%' ORDER BY seq",
      [a.orgId, vip.id],
    )
  ).rows.map((r) => r.type);
  assert.deepEqual(events, ['process.started', 'process.transitioned', 'process.completed']);
});

test('a definition that reacts to its own events stops at a bounded depth', async () => {
  await publish({
    key: 'echo_loop',
    name: 'Echo',
    recordType: 'customer',
    triggers: [{ on: 'customer.created', when: { '==': [{ var: 'event.data.customer.name' }, '回声'] } }],
    initial: 'a',
    states: [
      { key: 'a', name: 'A' },
      { key: 'b', name: 'B' },
    ],
    transitions: [
      { key: 'to_b', name: 'to b', from: ['a'], to: 'b' },
      { key: 'to_a', name: 'to a', from: ['b'], to: 'a' },
    ],
    automations: [
      {
        key: 'bounce_b',
        on: { event: 'process.transitioned', when: { '==': [{ var: 'state' }, 'a'] } },
        actions: [{ type: 'transition', transition: 'to_b' }],
      },
      {
        key: 'bounce_a',
        on: { event: 'process.started' },
        actions: [{ type: 'transition', transition: 'to_b' }],
      },
      {
        key: 'back',
        on: { event: 'process.transitioned', when: { '==': [{ var: 'state' }, 'b'] } },
        actions: [{ type: 'transition', transition: 'to_a' }],
      },
    ],
  });
  const c = (await api('POST', '/api/v1/customers', { kind: 'person', name: '回声' })).json();
  const handled = await settle(t.db);
  assert.ok(handled < 200, `dispatching ends (handled ${handled} events)`);
  const depth = (
    await t.db.query<{ d: number }>(
      'SELECT max(depth)::int AS d FROM domain_events WHERE org_id = $1 AND record_id = $2',
      [a.orgId, c.id],
    )
  ).rows[0].d;
  assert.ok(depth <= 9, `depth ${depth}`);
});

test('a trigger on an event name that is not one is refused with its path', async () => {
  const r = await api('POST', '/api/v1/processes/validate', {
    ...welcome,
    key: 'bad_trigger',
    triggers: [{ on: 'Customer Created' }],
  });
  assert.equal(r.json().ok, false);
  assert.ok(r.json().fields['triggers.0.on'], JSON.stringify(r.json()));
});
