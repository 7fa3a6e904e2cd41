import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { as, buildOrg, makeTestApp, type TestApp, type TestOrg } from './harness.ts';

let t: TestApp;
let a: TestOrg;
let b: TestOrg;

before(async () => {
  t = await makeTestApp();
  a = await buildOrg(t.services);
  b = await buildOrg(t.services);
});
after(() => t.close());

async function post(token: string, url: string, payload: unknown, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'POST', url, headers: as(token, headers), payload: payload as object });
}
async function get(token: string, url: string, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'GET', url, headers: as(token, headers) });
}

describe('customers API', () => {
  test('walks 401 → 403 → 404 → 422 → 201', async () => {
    const agent = await a.token('agent');
    const finance = await a.token('finance');
    assert.equal(
      (await t.app.inject({ method: 'POST', url: '/api/v1/customers', payload: { name: 'x' } })).statusCode,
      401,
    );
    assert.equal((await post(finance, '/api/v1/customers', { name: '张三' })).statusCode, 403);
    assert.equal(
      (await get(agent, '/api/v1/customers/00000000-0000-4000-8000-000000000000')).statusCode,
      404,
    );
    assert.equal((await get(agent, '/api/v1/customers/not-an-id')).statusCode, 404);
    const bad = await post(agent, '/api/v1/customers', { kind: 'person', name: '李四', mobile: '1234' });
    assert.equal(bad.statusCode, 422);
    assert.equal(bad.json().error.code, 'validation');
    assert.match(bad.json().error.fields.mobile, /手机号/);
    const ok = await post(agent, '/api/v1/customers', {
      kind: 'person',
      name: '李四',
      mobile: '13900139000',
    });
    assert.equal(ok.statusCode, 201);
    assert.equal(ok.json().name, '李四');
  });

  test('field errors follow Accept-Language', async () => {
    const agent = await a.token('agent');
    const en = await post(
      agent,
      '/api/v1/customers',
      { name: 'X', mobile: '1234', email: 'nope' },
      { 'accept-language': 'en-US,en;q=0.9' },
    );
    assert.equal(en.statusCode, 422);
    assert.match(en.json().error.fields.mobile, /Invalid mobile/);
    assert.match(en.json().error.fields.email, /Invalid email/);
    const es = await post(
      agent,
      '/api/v1/customers',
      { name: 'X', mobile: '1234' },
      { 'accept-language': 'es' },
    );
    assert.match(es.json().error.fields.mobile, /Móvil no válido/);
    const missing = await post(agent, '/api/v1/customers', { kind: 'alien' }, { 'accept-language': 'en' });
    assert.equal(missing.statusCode, 422);
    assert.ok(missing.json().error.fields.kind, 'kind named');
    assert.ok(missing.json().error.fields.name, 'name named');
  });

  test('mobile is normalized from full-width digits, spaces and +86; duplicates answer 409 with the existing id', async () => {
    const sup = await a.token('supervisor');
    const r = await post(sup, '/api/v1/customers', {
      kind: 'person',
      name: '王五',
      mobile: '１３８ 0013 8000',
    });
    assert.equal(r.statusCode, 201);
    const id = r.json().id;
    const row = (await t.db.query<{ mobile: string }>('SELECT mobile FROM customers WHERE id = $1', [id]))
      .rows[0];
    assert.equal(row.mobile, '+8613800138000');
    assert.equal(r.json().mobile, '+8613800138000', 'supervisor reads PII');
    const dup = await post(sup, '/api/v1/customers', {
      kind: 'person',
      name: '另一个人',
      mobile: '+86 138-0013-8000',
    });
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().error.code, 'duplicate_customer');
    assert.deepEqual(
      dup.json().error.candidates.map((c: { id: string }) => c.id),
      [id],
    );
    assert.deepEqual(dup.json().error.candidates[0].matchedOn, ['mobile']);
    const forced = await post(sup, '/api/v1/customers', {
      kind: 'person',
      name: '另一个人',
      mobile: '13800138000',
      allowDuplicate: true,
    });
    assert.equal(forced.statusCode, 201);
  });

  test('duplicates by email and by normalized company name', async () => {
    const sup = await a.token('supervisor');
    const c1 = await post(sup, '/api/v1/customers', {
      kind: 'company',
      name: '上海明达贸易有限公司',
      email: 'Info@MingDa.cn',
    });
    assert.equal(c1.statusCode, 201);
    const byName = await post(sup, '/api/v1/customers', { kind: 'company', name: '上海 明达贸易 公司' });
    assert.equal(byName.statusCode, 409);
    assert.deepEqual(byName.json().error.candidates[0].matchedOn, ['name']);
    const byEmail = await post(sup, '/api/v1/customers', {
      kind: 'person',
      name: '赵六',
      email: 'info@mingda.cn',
    });
    assert.equal(byEmail.statusCode, 409);
    assert.deepEqual(byEmail.json().error.candidates[0].matchedOn, ['email']);
  });

  test('a script tag as a name is stored verbatim and returned as JSON text', async () => {
    const agent = await a.token('agent');
    const name = '<script>alert(1)</script>';
    const r = await post(agent, '/api/v1/customers', { kind: 'person', name });
    assert.equal(r.statusCode, 201);
    assert.equal(r.headers['content-type']?.toString().startsWith('application/json'), true);
    const back = await get(agent, `/api/v1/customers/${r.json().id}`);
    assert.equal(back.json().name, name);
  });

  test('phone is masked for roles without customer.pii.read; reveal needs a reason and is audited', async () => {
    const sup = await a.token('supervisor');
    const agent = await a.token('agent');
    const c = await post(sup, '/api/v1/customers', {
      kind: 'person',
      name: '孙七',
      mobile: '13812345678',
      phone: '021-6258 3371',
      ownerId: a.users.agent.id,
    });
    assert.equal(c.statusCode, 201);
    const seen = await get(agent, `/api/v1/customers/${c.json().id}`);
    assert.equal(seen.statusCode, 200);
    assert.equal(seen.json().mobile, '138****5678');
    assert.equal(seen.json().piiMasked, true);
    assert.ok(!seen.json().phone.includes('6258'));
    const noReason = await post(agent, `/api/v1/customers/${c.json().id}/reveal`, { reason: '' });
    assert.equal(noReason.statusCode, 422);
    const rev = await post(agent, `/api/v1/customers/${c.json().id}/reveal`, { reason: '客户来电要求回拨' });
    assert.equal(rev.statusCode, 200);
    assert.equal(rev.json().mobile, '+8613812345678');
    const ev = await t.db.query<{ meta: { reason: string }; actor_id: string }>(
      "SELECT meta, actor_id FROM audit_events WHERE org_id = $1 AND action = 'customer.reveal' AND entity_id = $2",
      [a.orgId, c.json().id],
    );
    assert.equal(ev.rows.length, 1);
    assert.equal(ev.rows[0].meta.reason, '客户来电要求回拨');
    assert.equal(ev.rows[0].actor_id, a.users.agent.id);
  });

  test("another org's customer is 404 for every verb", async () => {
    const bAdmin = await b.token('admin');
    const aAgent = await a.token('agent');
    const c = await post(bAdmin, '/api/v1/customers', {
      kind: 'person',
      name: '别家客户',
      mobile: '13700137000',
    });
    const id = c.json().id;
    assert.equal((await get(aAgent, `/api/v1/customers/${id}`)).statusCode, 404);
    assert.equal((await get(await a.token('admin'), `/api/v1/customers/${id}`)).statusCode, 404);
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/customers/${id}`,
      headers: as(aAgent),
      payload: { name: 'hack' },
    });
    assert.equal(patch.statusCode, 404);
    assert.equal(
      (await post(aAgent, `/api/v1/customers/${id}/activities`, { kind: 'note', body: 'x' })).statusCode,
      404,
    );
    assert.equal(
      (await post(aAgent, `/api/v1/customers/${id}/reveal`, { reason: 'curious' })).statusCode,
      404,
    );
    const list = await get(await a.token('admin'), '/api/v1/customers?q=别家客户');
    assert.equal(list.json().total, 0);
    // and a duplicate in another org is no duplicate here
    assert.equal(
      (await post(aAgent, '/api/v1/customers', { kind: 'person', name: '本家', mobile: '13700137000' }))
        .statusCode,
      201,
    );
  });

  test('agents see customers they own or of their team; not other teams', async () => {
    const admin = await a.token('admin');
    const outsider = await t.services.identity.createUser(await a.ctx('admin'), {
      email: `lone@${a.slug}.test`,
      name: '独行',
      password: 'correct-horse-42',
      roleKey: 'agent',
    });
    const mine = await post(admin, '/api/v1/customers', {
      kind: 'person',
      name: '组内客户',
      ownerId: a.users.agent2.id,
    });
    const theirs = await post(admin, '/api/v1/customers', {
      kind: 'person',
      name: '组外客户',
      ownerId: outsider.id,
    });
    const agent = await a.token('agent');
    assert.equal(
      (await get(agent, `/api/v1/customers/${mine.json().id}`)).statusCode,
      200,
      'team member sees team customer',
    );
    assert.equal(
      (await get(agent, `/api/v1/customers/${theirs.json().id}`)).statusCode,
      404,
      'not another team',
    );
    const sup = await a.token('supervisor');
    assert.equal((await get(sup, `/api/v1/customers/${theirs.json().id}`)).statusCode, 404);
    assert.equal(
      (await get(await a.token('manager'), `/api/v1/customers/${theirs.json().id}`)).statusCode,
      200,
    );
  });

  test('notes (备注): stored, shown, changed with an audit entry, not searched; over 2,000 characters → 422', async () => {
    const agent = await a.token('agent');
    const notes = '老客户，喜欢周末到店\n上次买了羊毛衫';
    const c = await post(agent, '/api/v1/customers', { kind: 'person', name: '备注客户', notes });
    assert.equal(c.statusCode, 201, c.body);
    assert.equal(c.json().notes, notes);
    const id = c.json().id;
    assert.equal((await get(agent, `/api/v1/customers/${id}`)).json().notes, notes);
    const changed = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/customers/${id}`,
      headers: as(agent),
      payload: { notes: '  改约下周二  ' },
    });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal(changed.json().notes, '改约下周二', 'trimmed like every text field');
    const ev = (
      await t.db.query<{ changes: Record<string, unknown> }>(
        "SELECT changes FROM audit_events WHERE org_id = $1 AND entity_id = $2 AND action = 'customer.update'",
        [a.orgId, id],
      )
    ).rows;
    assert.deepEqual(ev[0].changes, { notes: [notes, '改约下周二'] });
    // Notes are not search text: a word only in the notes finds nothing.
    const found = await get(agent, `/api/v1/customers?q=${encodeURIComponent('改约下周二')}`);
    assert.equal(found.json().items.length, 0);
    const cleared = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/customers/${id}`,
      headers: as(agent),
      payload: { notes: '' },
    });
    assert.equal(cleared.json().notes, null);

    const long = '备'.repeat(2001);
    assert.equal(
      (await post(agent, '/api/v1/customers', { name: '刚好', notes: '备'.repeat(2000) })).statusCode,
      201,
    );
    for (const [lang, message] of [
      ['zh-CN', '内容过长'],
      ['en', 'Too long'],
      ['es', 'Demasiado largo'],
    ]) {
      const r = await post(
        agent,
        '/api/v1/customers',
        { name: '太长', notes: long },
        { 'accept-language': lang },
      );
      assert.equal(r.statusCode, 422, lang);
      assert.equal(r.json().error.fields.notes, message, lang);
    }
    const tooLong = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/customers/${id}`,
      headers: as(agent, { 'accept-language': 'en' }),
      payload: { notes: long },
    });
    assert.equal(tooLong.statusCode, 422);
    assert.deepEqual(Object.keys(tooLong.json().error.fields), ['notes']);
  });

  test('two clients PATCH with the same ETag: one 200, one 412', async () => {
    const agent = await a.token('agent');
    const c = await post(agent, '/api/v1/customers', { kind: 'person', name: '并发客户' });
    const g = await get(agent, `/api/v1/customers/${c.json().id}`);
    const tag = g.headers.etag as string;
    assert.match(tag, /^"\d+"$/);
    const patch = (name: string) =>
      t.app.inject({
        method: 'PATCH',
        url: `/api/v1/customers/${c.json().id}`,
        headers: as(agent, { 'if-match': tag }),
        payload: { name },
      });
    const [r1, r2] = await Promise.all([patch('甲'), patch('乙')]);
    assert.deepEqual([r1.statusCode, r2.statusCode].sort(), [200, 412]);
    const winner = r1.statusCode === 200 ? r1 : r2;
    assert.notEqual(winner.headers.etag, tag);
    const stale = [r1, r2].find((r) => r.statusCode === 412)!;
    assert.equal(stale.json().error.code, 'stale');
    const now = await get(agent, `/api/v1/customers/${c.json().id}`);
    assert.equal(now.json().name, winner === r1 ? '甲' : '乙');
  });

  test('list: filters, full-text on Chinese names, sort and cursor pagination', async () => {
    const admin = await a.token('admin');
    const names = [
      '杭州悦享电子商务有限公司',
      '深圳华宇电子科技有限公司',
      '北京悦享文化传媒有限公司',
      '成都天府茶业有限公司',
      '广州悦享服饰有限公司',
    ];
    for (const name of names) {
      assert.equal(
        (
          await post(admin, '/api/v1/customers', {
            kind: 'company',
            name,
            memberLevel: '金卡会员',
            tags: ['VIP'],
          })
        ).statusCode,
        201,
      );
    }
    const r = await get(
      admin,
      `/api/v1/customers?q=${encodeURIComponent('悦享')}&kind=company&sort=name&limit=2`,
    );
    assert.equal(r.statusCode, 200);
    assert.equal(r.json().total, 3);
    assert.equal(r.json().items.length, 2);
    const page2 = await get(
      admin,
      `/api/v1/customers?q=${encodeURIComponent('悦享')}&kind=company&sort=name&limit=2&cursor=${r.json().nextCursor}`,
    );
    const all = [...r.json().items, ...page2.json().items].map((c: { name: string }) => c.name);
    assert.deepEqual(
      all,
      [...all].sort((x, y) => (x < y ? -1 : 1)),
    );
    assert.equal(new Set(all).size, 3);
    assert.equal(page2.json().nextCursor, null);
    const word = await get(admin, `/api/v1/customers?q=${encodeURIComponent('电子商务')}`);
    assert.deepEqual(
      word.json().items.map((c: { name: string }) => c.name),
      ['杭州悦享电子商务有限公司'],
    );
    const tagged = await get(
      admin,
      `/api/v1/customers?tag=VIP&memberLevel=${encodeURIComponent('金卡会员')}`,
    );
    assert.equal(tagged.json().total, 5);
    const badCursor = await get(admin, '/api/v1/customers?cursor=garbage');
    assert.equal(badCursor.statusCode, 422);
  });

  test('activities appear on the timeline with their author, newest first', async () => {
    const agent = await a.token('agent');
    const c = await post(agent, '/api/v1/customers', { kind: 'person', name: '时间线客户' });
    const id = c.json().id;
    const a1 = await post(agent, `/api/v1/customers/${id}/activities`, {
      kind: 'call',
      direction: 'inbound',
      subject: '来电',
      body: '咨询退货政策',
      occurredAt: '2026-11-20T10:00:00+08:00',
    });
    assert.equal(a1.statusCode, 201);
    await post(agent, `/api/v1/customers/${id}/activities`, {
      kind: 'visit',
      body: '上门回访，客户满意',
      occurredAt: '2026-11-21T15:00:00+08:00',
    });
    const bad = await post(agent, `/api/v1/customers/${id}/activities`, { kind: 'fax', body: 'x' });
    assert.equal(bad.statusCode, 422);
    const tl = await get(agent, `/api/v1/customers/${id}/timeline`);
    const acts = tl.json().items.filter((i: { type: string }) => i.type === 'activity');
    assert.deepEqual(
      acts.map((i: { kind: string }) => i.kind),
      ['visit', 'call'],
    );
    assert.equal(acts[1].actor.id, a.users.agent.id);
    assert.ok(tl.json().items.some((i: { kind: string }) => i.kind === 'customer.create'));
  });
});
