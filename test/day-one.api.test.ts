import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backfillSearchTokens } from '../src/modules/customers/search-backfill.ts';
import { complaintLike } from './fixtures/complaint-like.ts';
import { as, buildOrg, makeTestApp, type TestApp, type TestOrg } from './harness.ts';

// Issue 7, points 11–14 (server side): pinyin order and search, duplicate answers an agent cannot follow, merge
// with a choice of values, task types with coded outcomes, related names on tasks, approvals that say who asked.

let t: TestApp;
let a: TestOrg;

before(async () => {
  t = await makeTestApp();
  a = await buildOrg(t.services);
});
after(() => t.close());

async function call(
  token: string,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT',
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) {
  return t.app.inject({ method, url, headers: as(token, headers), payload: payload as object });
}

describe('customer names in pinyin order', () => {
  test('丁 上 严 于 and Latin names sort by reading, on every page, in both directions', async () => {
    const manager = await a.token('manager');
    const names = ['于', '严', '上', '丁', 'Zed', '王静', 'Anna', '汪静', '阿飞', '张三'];
    for (const name of names) {
      const r = await call(manager, 'POST', '/api/v1/customers', { name, allowDuplicate: true });
      assert.equal(r.statusCode, 201, r.body);
    }
    // Pages of 3 walk the keyset cursor over the pinyin key.
    const walk = async (sort: string) => {
      const out: string[] = [];
      let cursor: string | null = null;
      do {
        const q: string = `/api/v1/customers?sort=${sort}&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
        const r = await call(manager, 'GET', q);
        assert.equal(r.statusCode, 200, r.body);
        out.push(...r.json().items.map((c: { name: string }) => c.name));
        cursor = r.json().nextCursor;
      } while (cursor);
      return out;
    };
    const expected = ['阿飞', 'Anna', '丁', '上', '汪静', '王静', '严', '于', 'Zed', '张三'];
    assert.deepEqual(await walk('name'), expected);
    assert.deepEqual(await walk('-name'), [...expected].reverse());
  });

  test('existing customers get their sort key and pinyin tokens from the backfill', async () => {
    const b = await buildOrg(t.services);
    const manager = await b.token('manager');
    for (const name of ['严', '丁'])
      assert.equal((await call(manager, 'POST', '/api/v1/customers', { name })).statusCode, 201);
    // As rows stored before this version: no key, tokens without pinyin, backfill state behind.
    await t.db.query("UPDATE customers SET name_pinyin = '', search_tokens = name WHERE org_id = $1", [
      b.orgId,
    ]);
    await t.db.query('UPDATE customer_search_state SET tokens_version = 2 WHERE org_id = $1', [b.orgId]);
    await t.db.query(
      'INSERT INTO customer_search_state (org_id, tokens_version) VALUES ($1, 2) ON CONFLICT DO NOTHING',
      [b.orgId],
    );
    await backfillSearchTokens(t.db);
    const list = await call(manager, 'GET', '/api/v1/customers?sort=name');
    assert.deepEqual(
      list.json().items.map((c: { name: string }) => c.name),
      ['丁', '严'],
    );
    const found = await call(manager, 'GET', '/api/v1/customers?q=yan');
    assert.deepEqual(
      found.json().items.map((c: { name: string }) => c.name),
      ['严'],
    );
  });
});

describe('search by pinyin and initials', () => {
  test('wangjing and wj find 王静; other names are not found by them', async () => {
    const agent = await a.token('agent');
    const mk = await call(agent, 'POST', '/api/v1/customers', { name: '王静怡', mobile: '13811112222' });
    assert.equal(mk.statusCode, 201, mk.body);
    await call(agent, 'POST', '/api/v1/customers', { name: '李娜', mobile: '13811113333' });
    const names = async (q: string) =>
      (await call(agent, 'GET', `/api/v1/customers?q=${encodeURIComponent(q)}`))
        .json()
        .items.map((c: { name: string }) => c.name);
    assert.deepEqual(await names('wangjingyi'), ['王静怡']);
    assert.deepEqual(await names('WJY'), ['王静怡']);
    assert.deepEqual(await names('lina'), ['李娜']);
    assert.deepEqual(await names('ln'), ['李娜']);
    assert.deepEqual(await names('wangli'), []);
  });
});

describe('the duplicate answer and merge', () => {
  test("an agent's duplicate alert names a record they cannot open masked and without its id", async () => {
    const agent = await a.token('agent');
    const manager = await a.token('manager');
    // The manager's own customer: outside the agent's scope (not theirs, not their team's).
    const hidden = await call(manager, 'POST', '/api/v1/customers', {
      name: '欧阳娜娜',
      mobile: '13900007777',
    });
    assert.equal(hidden.statusCode, 201);
    assert.equal((await call(agent, 'GET', `/api/v1/customers/${hidden.json().id}`)).statusCode, 404);
    const dup = await call(agent, 'POST', '/api/v1/customers', { name: '别人', mobile: '13900007777' });
    assert.equal(dup.statusCode, 409);
    const [c] = dup.json().error.candidates;
    assert.equal(c.visible, false);
    assert.equal(c.id, null, 'no id to link to or probe with');
    assert.equal(c.name, '欧***');
    assert.doesNotMatch(JSON.stringify(dup.json()), new RegExp(hidden.json().id));
    assert.doesNotMatch(JSON.stringify(dup.json()), /13900007777/);
    // The manager sees it whole, with its id.
    const own = await call(manager, 'POST', '/api/v1/customers', { name: '别人', mobile: '13900007777' });
    assert.equal(own.json().error.candidates[0].id, hidden.json().id);
    assert.equal(own.json().error.candidates[0].name, '欧阳娜娜');
  });

  test('merge takes the chosen values from the source; the merged record points at the survivor', async () => {
    const sup = await a.token('supervisor');
    const s = await call(sup, 'POST', '/api/v1/customers', {
      name: '赵敏',
      mobile: '13700001111',
      address: '旧地址',
    });
    const d = await call(sup, 'POST', '/api/v1/customers', {
      name: '赵敏敏',
      mobile: '13700002222',
      address: '新地址',
      allowDuplicate: true,
    });
    const bad = await call(sup, 'POST', `/api/v1/customers/${s.json().id}/merge`, {
      sourceId: d.json().id,
      take: ['passwordHash'],
    });
    assert.equal(bad.statusCode, 422);
    const m = await call(sup, 'POST', `/api/v1/customers/${s.json().id}/merge`, {
      sourceId: d.json().id,
      take: ['address', 'name'],
    });
    assert.equal(m.statusCode, 200, m.body);
    assert.equal(m.json().name, '赵敏敏');
    assert.equal(m.json().address, '新地址');
    assert.equal(m.json().mobile, '+8613700001111', 'not chosen: the survivor keeps its own');
    const merged = await call(sup, 'GET', `/api/v1/customers/${d.json().id}`);
    assert.equal(merged.json().status, 'merged');
    assert.equal(merged.json().mergedIntoId, s.json().id);
    const edit = await call(sup, 'PATCH', `/api/v1/customers/${d.json().id}`, { name: 'x' });
    assert.equal(edit.statusCode, 404, 'a merged record is read-only');
    // The survivor sorts and is found under its new name.
    const found = await call(sup, 'GET', '/api/v1/customers?q=zhaominmin');
    assert.deepEqual(
      found.json().items.map((c: { id: string }) => c.id),
      [s.json().id],
    );
  });
});

describe('tasks: types with coded outcomes, linked records by name, filters', () => {
  test('a call-back task completes with one of its codes; the codes are the admin’s to edit', async () => {
    const agent = await a.token('agent');
    const types = await call(agent, 'GET', '/api/v1/task-types', undefined, { 'accept-language': 'en' });
    const callBack = types.json().items.find((x: { key: string }) => x.key === 'call_back');
    assert.deepEqual(
      callBack.outcomes.map((o: { code: string }) => o.code),
      ['reached', 'no_answer', 'wrong_number', 'call_later'],
    );
    const cust = await call(agent, 'POST', '/api/v1/customers', { name: '回电客户', mobile: '13755556666' });
    const task = await call(agent, 'POST', '/api/v1/tasks', {
      kind: 'call_back',
      title: '回电',
      priority: 'high',
      relatedType: 'customer',
      relatedId: cust.json().id,
    });
    assert.equal(task.statusCode, 201, task.body);
    assert.equal(task.json().kind, 'call_back');
    const unknownType = await call(agent, 'POST', '/api/v1/tasks', { kind: 'nope', title: 'x' });
    assert.equal(unknownType.statusCode, 422);
    assert.ok(unknownType.json().error.fields.kind);

    const id = task.json().id;
    const free = await call(agent, 'PATCH', `/api/v1/tasks/${id}`, { status: 'done', outcome: '聊过了' });
    assert.equal(free.statusCode, 422, 'a coded type needs its code');
    assert.ok(free.json().error.fields.outcomeCode);
    const wrong = await call(agent, 'PATCH', `/api/v1/tasks/${id}`, { status: 'done', outcomeCode: 'maybe' });
    assert.equal(wrong.statusCode, 422);
    const done = await call(
      agent,
      'PATCH',
      `/api/v1/tasks/${id}`,
      { status: 'done', outcomeCode: 'no_answer' },
      { 'accept-language': 'en' },
    );
    assert.equal(done.statusCode, 200, done.body);
    assert.equal(done.json().outcomeCode, 'no_answer');
    assert.equal(done.json().outcome, 'No answer');

    // An admin edits the codes; agents may not.
    const edit = {
      label: { 'zh-CN': '回电', en: 'Call back', es: 'Devolver llamada' },
      outcomes: [
        { code: 'reached', label: { 'zh-CN': '已接通', en: 'Reached', es: 'Contactado' } },
        { code: 'voicemail', label: { 'zh-CN': '语音信箱', en: 'Voicemail', es: 'Buzón de voz' } },
      ],
    };
    assert.equal((await call(agent, 'PUT', '/api/v1/task-types/call_back', edit)).statusCode, 403);
    const saved = await call(await a.token('admin'), 'PUT', '/api/v1/task-types/call_back', edit);
    assert.equal(saved.statusCode, 200, saved.body);
    const t2 = await call(agent, 'POST', '/api/v1/tasks', { kind: 'call_back', title: '再回电' });
    const old = await call(agent, 'PATCH', `/api/v1/tasks/${t2.json().id}`, {
      status: 'done',
      outcomeCode: 'no_answer',
    });
    assert.equal(old.statusCode, 422, 'a removed code is refused');
    const vm = await call(agent, 'PATCH', `/api/v1/tasks/${t2.json().id}`, {
      status: 'done',
      outcomeCode: 'voicemail',
    });
    assert.equal(vm.statusCode, 200);
    assert.equal(vm.json().outcome, '语音信箱');
    // A general task keeps its free-text outcome.
    const g = await call(agent, 'POST', '/api/v1/tasks', { title: '一般' });
    assert.equal(
      (await call(agent, 'PATCH', `/api/v1/tasks/${g.json().id}`, { status: 'done', outcome: '好' }))
        .statusCode,
      200,
    );
  });

  test('the list names the linked record and filters by priority and type', async () => {
    const agent = await a.token('agent');
    const cust = await call(agent, 'POST', '/api/v1/customers', { name: '钱多多', mobile: '13722223333' });
    await call(agent, 'POST', '/api/v1/tasks', {
      kind: 'call_back',
      title: '给钱多多回电',
      priority: 'urgent',
      relatedType: 'customer',
      relatedId: cust.json().id,
    });
    await call(agent, 'POST', '/api/v1/tasks', { title: '整理资料', priority: 'low' });
    const urgent = await call(agent, 'GET', '/api/v1/tasks?status=open&priority=urgent');
    assert.deepEqual(
      urgent.json().items.map((x: { title: string; relatedTitle: string }) => [x.title, x.relatedTitle]),
      [['给钱多多回电', '钱多多']],
    );
    const calls = await call(agent, 'GET', '/api/v1/tasks?status=open&kind=call_back');
    assert.ok(calls.json().items.every((x: { kind: string }) => x.kind === 'call_back'));
    assert.ok(calls.json().items.length >= 1);
    const low = await call(agent, 'GET', '/api/v1/tasks?status=open&priority=low');
    assert.deepEqual(
      low.json().items.map((x: { title: string; relatedTitle: string | null }) => [x.title, x.relatedTitle]),
      [['整理资料', null]],
    );
  });
});

describe('approvals say who asked, about what, with which values, for which role', () => {
  test('the inbox item carries the asker, the record, the submitted values and the translated role', async () => {
    const admin = await a.token('admin');
    assert.equal((await call(admin, 'POST', '/api/v1/processes', complaintLike)).statusCode, 201);
    assert.equal((await call(admin, 'POST', '/api/v1/processes/complaint_like/publish')).statusCode, 200);
    const agent = await a.token('agent');
    const cust = await call(agent, 'POST', '/api/v1/customers', { name: '审批客户', mobile: '13744445555' });
    const start = await call(agent, 'POST', '/api/v1/process-instances', {
      definitionKey: 'complaint_like',
      recordType: 'customer',
      recordId: cust.json().id,
    });
    const id = start.json().id;
    const go = (transition: string, fields?: object) =>
      call(agent, 'POST', `/api/v1/process-instances/${id}/transitions`, { transition, fields });
    await go('judge');
    await go('investigate', { department: '质量部' });
    await go('propose', { cause: '批次问题' });
    const ask = await go('approve_solution', { solution: '换货并补偿', amount: 1500 });
    assert.equal(ask.json().pendingApproval, true, ask.body);
    const inbox = async (lang: string) =>
      (
        await call(await a.token('supervisor'), 'GET', '/api/v1/approvals', undefined, {
          'accept-language': lang,
        })
      )
        .json()
        .items.find((x: { instanceId: string }) => x.instanceId === id);
    const zh = await inbox('zh-CN');
    assert.equal(zh.requestedBy, a.users.agent.id);
    assert.equal(zh.requestedByName, a.users.agent.name);
    assert.equal(zh.recordTitle, '审批客户');
    assert.equal(zh.recordRoute, `/customers/${cust.json().id}`);
    assert.deepEqual(zh.fields, { solution: '换货并补偿', amount: 1500 });
    assert.equal(zh.approverRole, 'supervisor');
    assert.equal(zh.approverRoleName, '客服主管');
    assert.equal((await inbox('es')).approverRoleName, 'Supervisor');
  });
});
