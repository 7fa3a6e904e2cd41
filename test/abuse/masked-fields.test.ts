import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { as, buildOrg, makeTestApp, type TestApp, type TestOrg } from '../harness.ts';

/**
 * Masked fields (issue 7, point 3): an agent who sees 136****0077 must not uncover the masked digits by
 * searching, sees email, birthday, address and ID number masked too, and reveals a field only with a reason
 * that is audited.
 */

const LIMIT = 5;
let t: TestApp;
let a: TestOrg;
let id: string;
let agent: string;
let sup: string;

before(async () => {
  t = await makeTestApp({ KEPT_PII_LOOKUPS_PER_10_MIN: String(LIMIT) });
  a = await buildOrg(t.services);
  agent = await a.token('agent');
  sup = await a.token('supervisor');
  const c = await post(sup, '/api/v1/customers', {
    name: '周八',
    mobile: '13600000077',
    email: 'zhou.ba@example.com',
    phone: '021-6258 3371',
    address: '上海市浦东新区张江路 123 弄 4 号',
    birthday: '1988-05-03',
    age: 38,
    idNumber: '11010519491231002X',
    ownerId: a.users.agent.id,
  });
  assert.equal(c.statusCode, 201, c.body);
  id = c.json().id;
});
after(() => t.close());

async function post(token: string, url: string, payload: unknown) {
  return t.app.inject({ method: 'POST', url, headers: as(token), payload: payload as object });
}
async function get(token: string, url: string) {
  return t.app.inject({ method: 'GET', url, headers: as(token) });
}
const search = (token: string, q: string) => get(token, `/api/v1/customers?q=${encodeURIComponent(q)}`);

async function auditOf(action: string, actorId: string) {
  return (
    await t.db.query<{ entity_id: string | null; meta: Record<string, unknown> }>(
      'SELECT entity_id, meta FROM audit_events WHERE org_id = $1 AND action = $2 AND actor_id = $3 ORDER BY seq',
      [a.orgId, action, actorId],
    )
  ).rows;
}

describe('masked fields', () => {
  test('an agent sees every personal field masked; a supervisor sees them in full', async () => {
    const seen = (await get(agent, `/api/v1/customers/${id}`)).json();
    assert.equal(seen.mobile, '136****0077');
    assert.equal(seen.email, 'z***@example.com');
    assert.equal(seen.birthday, '****-05-03');
    assert.equal(seen.address, '上海市浦东新区****');
    assert.equal(seen.idNumber, '**************002X');
    assert.ok(!seen.phone.includes('6258'));
    assert.deepEqual(
      [...seen.maskedFields].sort(),
      ['address', 'birthday', 'email', 'idNumber', 'mobile', 'phone'].sort(),
    );
    // The list shows the same masks.
    const listed = (await get(agent, '/api/v1/customers'))
      .json()
      .items.find((c: { id: string }) => c.id === id);
    assert.equal(listed.email, 'z***@example.com');
    assert.equal(listed.birthday, '****-05-03');

    const full = (await get(sup, `/api/v1/customers/${id}`)).json();
    assert.equal(full.email, 'zhou.ba@example.com');
    assert.equal(full.birthday, '1988-05-03');
    assert.equal(full.idNumber, '11010519491231002X');
    assert.deepEqual(full.maskedFields, []);
  });

  test('the age is hidden wherever the birthday is masked (get, list, search, export, audit)', async () => {
    // The age tells the year the masked birthday hides: 38 in 2026 → born 1987/1988.
    assert.equal((await get(agent, `/api/v1/customers/${id}`)).json().age, null);
    const listed = (await get(agent, '/api/v1/customers'))
      .json()
      .items.find((c: { id: string }) => c.id === id);
    assert.equal(listed.age, null);
    const found = (await search(agent, '周八')).json();
    assert.equal(found.total, 1);
    assert.equal(found.items[0].age, null);
    const csv = parse((await get(agent, '/api/v1/customers/export?format=csv')).body, {
      bom: true,
    }) as string[][];
    const col = csv[0].indexOf('年龄');
    assert.ok(col >= 0, 'the age column is there');
    const row = csv.find((r) => r.includes('周八'));
    assert.equal(row?.[col], '', 'the exported age is empty');

    // A reader who sees the birthday in full sees the age as well.
    assert.equal((await get(sup, `/api/v1/customers/${id}`)).json().age, 38);
    const mgrCsv = parse((await get(await a.token('manager'), '/api/v1/customers/export?format=csv')).body, {
      bom: true,
    }) as string[][];
    assert.equal(mgrCsv.find((r) => r.includes('周八'))?.[mgrCsv[0].indexOf('年龄')], '38');
  });

  test('an ID number with a wrong check digit or birth date is refused, naming the field', async () => {
    for (const bad of ['110105194912310021', '110105194902300028', '12345']) {
      const r = await post(sup, '/api/v1/customers', { name: '校验', idNumber: bad });
      assert.equal(r.statusCode, 422, bad);
      assert.match(r.json().error.fields.idNumber, /身份证号/);
    }
    const ok = await post(sup, '/api/v1/customers', { name: '校验二', idNumber: '11010519491231002x' });
    assert.equal(ok.statusCode, 201, ok.body);
    assert.equal(ok.json().idNumber, '11010519491231002X');
  });

  test('digit fragments of a mobile find nothing for an agent, and find it for a supervisor', async () => {
    for (const q of ['0077', '00077', '600000077']) {
      const r = await search(agent, q);
      assert.equal(r.statusCode, 200);
      assert.equal(r.json().total, 0, `agent searched ${q}`);
      const s = await search(sup, q);
      assert.ok(
        s.json().items.some((c: { id: string }) => c.id === id),
        `supervisor searched ${q}`,
      );
    }
    // Not a suffix: no match even for the supervisor.
    assert.equal((await search(sup, '0078')).json().total, 0);
  });

  test('walking the masked digits by full-number lookups: matches audited, then 429', async () => {
    const agent2 = await a.token('agent2');
    // agent2 is in the same team: the customer is in their scope.
    const hit = await search(agent2, '+8613600000077');
    assert.equal(hit.statusCode, 200);
    assert.equal(hit.json().total, 1, 'looking a caller up by their full number still works');
    assert.equal(hit.json().items[0].mobile, '136****0077');
    let lookups = await auditOf('customer.lookup', a.users.agent2.id);
    assert.equal(lookups.length, 1);
    assert.equal(lookups[0].entity_id, id);
    assert.equal(lookups[0].meta.field, 'mobile');

    // Misses count as well: the walk is stopped after LIMIT lookups in the window.
    let refused: Awaited<ReturnType<typeof search>> | undefined;
    for (let d = 1; d < 10 && !refused; d++) {
      const r = await search(agent2, `+861360000${d}077`);
      if (r.statusCode === 200) assert.equal(r.json().total, 0);
      if (r.statusCode === 429) refused = r;
      else assert.equal(r.statusCode, 200);
    }
    assert.ok(refused, 'a walk over the masked digits is refused');
    assert.equal(refused.json().error.code, 'lookup_rate_limited');
    assert.match(refused.json().error.message, new RegExp(`${LIMIT}`));
    // Still refused, hit or miss; one audit event names the refusal.
    assert.equal((await search(agent2, '+8613600000077')).statusCode, 429);
    assert.equal((await search(agent2, 'zhou.ba@example.com')).statusCode, 429, 'email lookups count too');
    assert.equal((await auditOf('customer.lookup_limited', a.users.agent2.id)).length, 1);
    lookups = await auditOf('customer.lookup', a.users.agent2.id);
    assert.equal(lookups.length, 1, 'misses leave no per-record event; the refusal is audited');
    // Other searches go on, and a supervisor (sees mobiles in full) is not limited.
    assert.equal((await search(agent2, '周八')).statusCode, 200);
    for (let i = 0; i < LIMIT + 2; i++) assert.equal((await search(sup, '+8613600000077')).statusCode, 200);
    assert.equal((await auditOf('customer.lookup', a.users.supervisor.id)).length, 0);
  });

  test('an email lookup by an agent who sees emails masked is audited when it matches', async () => {
    const r = await search(agent, 'zhou.ba@example.com');
    assert.equal(r.statusCode, 200);
    assert.equal(r.json().total, 1);
    const ev = await auditOf('customer.lookup', a.users.agent.id);
    assert.deepEqual(
      ev.map((e) => [e.entity_id, e.meta.field]),
      [[id, 'email']],
    );
  });

  test('reveal returns the field asked for, and audits who, which field and why', async () => {
    const none = await post(agent, `/api/v1/customers/${id}/reveal`, { field: 'birthday' });
    assert.equal(none.statusCode, 422);
    const r = await post(agent, `/api/v1/customers/${id}/reveal`, {
      field: 'birthday',
      reason: '客户生日回访',
    });
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json(), { birthday: '1988-05-03' });
    const ev = await auditOf('customer.reveal', a.users.agent.id);
    assert.equal(ev.length, 1);
    assert.equal(ev[0].entity_id, id);
    assert.deepEqual(ev[0].meta, { reason: '客户生日回访', fields: ['birthday'] });
    const bad = await post(agent, `/api/v1/customers/${id}/reveal`, { field: 'password', reason: '看看' });
    assert.equal(bad.statusCode, 422);
  });

  test('an export by an agent masks email, address, birthday and ID number and leaves out phones', async () => {
    const r = await get(agent, '/api/v1/customers/export?format=csv');
    assert.equal(r.statusCode, 200);
    const csv = r.body;
    assert.ok(csv.includes('z***@example.com'), csv);
    assert.ok(csv.includes('****-05-03'));
    assert.ok(csv.includes('上海市浦东新区****'));
    assert.ok(csv.includes('**************002X'));
    for (const secret of ['zhou.ba@', '1988-05-03', '张江路', '11010519491231002X', '13600000077', '6258'])
      assert.ok(!csv.includes(secret), `export leaks ${secret}`);
    const mgr = await get(await a.token('manager'), '/api/v1/customers/export?format=csv');
    assert.ok(mgr.body.includes('zhou.ba@example.com') && mgr.body.includes('11010519491231002X'));
  });

  test('the audit view masks personal values for a reader who sees them masked', async () => {
    // A custom role that reads the audit log but sees no personal field in full.
    const admin = await a.token('admin');
    const role = await post(admin, '/api/v1/roles', {
      key: 'auditor',
      name: '审计员',
      permissions: ['audit.read', 'customer.read', 'customer.scope.all', 'customer.field.email.view'],
    });
    assert.equal(role.statusCode, 201, role.body);
    const u = await post(admin, '/api/v1/users', {
      email: `auditor@${a.slug}.test`,
      name: '审计员',
      password: 'correct-horse-42',
      roleId: role.json().id,
    });
    assert.equal(u.statusCode, 201, u.body);
    const login = await t.services.auth.createToken(await ctxOfUser(u.json().id), { name: 't' });
    const r = await get(login.token, `/api/v1/audit-events?entityId=${id}&limit=50`);
    assert.equal(r.statusCode, 200, r.body);
    const body = JSON.stringify(r.json().items.map((e: { changes: unknown }) => e.changes));
    assert.ok(body.includes('****-05-03'), body);
    const ages = r
      .json()
      .items.map((e: { changes: { age?: unknown } }) => e.changes.age)
      .filter((v: unknown) => v !== undefined);
    assert.ok(ages.length > 0, 'the creation names the age');
    assert.deepEqual(
      ages.flat().filter((v: unknown) => v !== null),
      [],
      'the age is hidden with the birthday',
    );
    assert.ok(!body.includes('13600000077') && !body.includes('1988-05-03'), body);
    assert.ok(body.includes('zhou.ba@example.com'), 'a field the role may view stays in full');
    // The field permission applies to the customer itself too.
    const seen = (await get(login.token, `/api/v1/customers/${id}`)).json();
    assert.equal(seen.email, 'zhou.ba@example.com');
    assert.equal(seen.mobile, '136****0077');
  });
});

async function ctxOfUser(userId: string) {
  const { ctxFor } = await import('../harness.ts');
  const u = (await t.services.identity.usersByIds(a.orgId, [userId]))[0];
  return ctxFor(a.orgId, u);
}
