import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { verifyAudit } from '../src/platform/audit/audit.ts';
import { as, buildOrg, makeTestApp, settle, type TestApp, type TestOrg } from './harness.ts';

let t: TestApp;
let a: TestOrg;
before(async () => {
  t = await makeTestApp();
  a = await buildOrg(t.services);
});
after(() => t.close());

const req = async (
  token: string,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: object,
  headers: Record<string, string> = {},
) => t.app.inject({ method, url, headers: as(token, headers), payload });

describe('contacts, custom fields, merge and assignment', () => {
  test('contacts live under company customers only; one primary each', async () => {
    const sup = await a.token('supervisor');
    const company = (
      await req(sup, 'POST', '/api/v1/customers', { kind: 'company', name: '联系人测试有限公司' })
    ).json();
    const person = (
      await req(sup, 'POST', '/api/v1/customers', { kind: 'person', name: '个人客户甲' })
    ).json();
    const onPerson = await req(sup, 'POST', '/api/v1/contacts', { customerId: person.id, name: '某人' });
    assert.equal(onPerson.statusCode, 422);
    assert.ok(onPerson.json().error.fields.customerId);
    const c1 = await req(sup, 'POST', '/api/v1/contacts', {
      customerId: company.id,
      name: '采购 张经理',
      mobile: '13911112222',
      isPrimary: true,
    });
    assert.equal(c1.statusCode, 201);
    assert.equal(c1.json().mobile, '+8613911112222');
    const c2 = await req(sup, 'POST', '/api/v1/contacts', {
      customerId: company.id,
      name: '财务 李会计',
      isPrimary: true,
    });
    assert.equal(c2.statusCode, 201);
    const list = await req(sup, 'GET', `/api/v1/contacts?customerId=${company.id}`);
    assert.deepEqual(
      list.json().items.map((c: { name: string; isPrimary: boolean }) => [c.name, c.isPrimary]),
      [
        ['财务 李会计', true],
        ['采购 张经理', false],
      ],
    );
    const badMobile = await req(sup, 'PATCH', `/api/v1/contacts/${c1.json().id}`, { mobile: '12345' });
    assert.equal(badMobile.statusCode, 422);
    const agentView = await req(await a.token('admin'), 'GET', `/api/v1/customers/${company.id}/contacts`);
    assert.equal(agentView.statusCode, 200);
    assert.equal((await verifyAudit(t.db, a.orgId)).ok, true, 'primary flag changes are audited too');
  });

  test('custom fields are validated on write by type', async () => {
    const admin = await a.token('admin');
    const agent = await a.token('agent');
    assert.equal(
      (await req(agent, 'POST', '/api/v1/custom-fields', { key: 'x', label: { en: 'X' }, type: 'text' }))
        .statusCode,
      403,
    );
    for (const def of [
      { key: 'budget', label: { 'zh-CN': '预算', en: 'Budget' }, type: 'number' },
      { key: 'signed_on', label: { 'zh-CN': '签约日' }, type: 'date' },
      {
        key: 'region',
        label: { 'zh-CN': '区域' },
        type: 'select',
        options: [
          { value: 'east', label: { 'zh-CN': '华东' } },
          { value: 'south', label: { 'zh-CN': '华南' } },
        ],
        required: true,
      },
      {
        key: 'interests',
        label: { 'zh-CN': '兴趣' },
        type: 'multi_select',
        options: [
          { value: 'tea', label: {} },
          { value: 'golf', label: {} },
        ],
      },
    ]) {
      assert.equal((await req(admin, 'POST', '/api/v1/custom-fields', def)).statusCode, 201);
    }
    const missing = await req(agent, 'POST', '/api/v1/customers', { kind: 'person', name: '自定义甲' });
    assert.equal(missing.statusCode, 422);
    assert.ok(missing.json().error.fields['custom.region'], 'required custom field named');
    const bad = await req(agent, 'POST', '/api/v1/customers', {
      kind: 'person',
      name: '自定义乙',
      custom: {
        region: 'north',
        budget: 'lots',
        signed_on: '2026-02-30',
        interests: ['tea', 'chess'],
        nope: 1,
      },
    });
    assert.equal(bad.statusCode, 422);
    assert.deepEqual(Object.keys(bad.json().error.fields).sort(), [
      'custom.budget',
      'custom.interests',
      'custom.nope',
      'custom.region',
      'custom.signed_on',
    ]);
    const ok = await req(agent, 'POST', '/api/v1/customers', {
      kind: 'person',
      name: '自定义丙',
      custom: { region: 'east', budget: '12000.5', signed_on: '2026-02-28', interests: ['golf', 'tea'] },
    });
    assert.equal(ok.statusCode, 201);
    assert.deepEqual(ok.json().custom, {
      region: 'east',
      budget: 12000.5,
      signed_on: '2026-02-28',
      interests: ['golf', 'tea'],
    });
    const patched = await req(agent, 'PATCH', `/api/v1/customers/${ok.json().id}`, { custom: { budget: 9 } });
    assert.equal(patched.statusCode, 200);
    assert.equal(patched.json().custom.region, 'east', 'a PATCH keeps the other custom values');
    assert.equal(patched.json().custom.budget, 9);
    const list = await req(agent, 'GET', '/api/v1/custom-fields?entity=customer');
    assert.equal(list.json().items.length, 4);
    // Retire the required field so the other tests can create customers without it.
    const region = list.json().items.find((d: { key: string }) => d.key === 'region');
    assert.equal(
      (await req(admin, 'PATCH', `/api/v1/custom-fields/${region.id}`, { active: false })).statusCode,
      200,
    );
  });

  test('merge keeps both histories and fills the survivor’s gaps', async () => {
    const sup = await a.token('supervisor');
    const target = (
      await req(sup, 'POST', '/api/v1/customers', {
        kind: 'person',
        name: '合并甲',
        mobile: '13600000001',
        tags: ['VIP'],
      })
    ).json();
    const source = (
      await req(sup, 'POST', '/api/v1/customers', {
        kind: 'person',
        name: '合并甲（旧）',
        email: 'old@example.cn',
        address: '杭州市西湖区',
        tags: ['回头客'],
        externalRef: 'OLD-1',
      })
    ).json();
    await req(sup, 'POST', `/api/v1/customers/${source.id}/activities`, {
      kind: 'call',
      body: '旧记录上的来电',
    });
    await req(sup, 'POST', `/api/v1/customers/${target.id}/activities`, {
      kind: 'note',
      body: '新记录上的备注',
    });
    assert.equal(
      (
        await req(await a.token('agent'), 'POST', `/api/v1/customers/${target.id}/merge`, {
          sourceId: source.id,
        })
      ).statusCode,
      403,
    );
    assert.equal(
      (await req(sup, 'POST', `/api/v1/customers/${target.id}/merge`, { sourceId: target.id })).statusCode,
      422,
    );
    const merged = await req(sup, 'POST', `/api/v1/customers/${target.id}/merge`, { sourceId: source.id });
    assert.equal(merged.statusCode, 200);
    const m = merged.json();
    assert.equal(m.mobile, '+8613600000001');
    assert.equal(m.email, 'old@example.cn');
    assert.equal(m.address, '杭州市西湖区');
    assert.equal(m.externalRef, 'OLD-1');
    assert.deepEqual([...m.tags].sort(), ['VIP', '回头客']);
    const old = await req(sup, 'GET', `/api/v1/customers/${source.id}`);
    assert.equal(old.json().status, 'merged');
    assert.equal(old.json().mergedIntoId, target.id);
    const tl = (await req(sup, 'GET', `/api/v1/customers/${target.id}/timeline`)).json().items;
    const bodies = tl
      .filter((i: { type: string }) => i.type === 'activity')
      .map((i: { body: string }) => i.body);
    assert.deepEqual(bodies.sort(), ['新记录上的备注', '旧记录上的来电'].sort());
    assert.ok(
      tl.some(
        (i: { kind: string; meta?: { customerId?: string } }) =>
          i.kind === 'customer.create' && i.meta?.customerId === source.id,
      ),
      'source history shown',
    );
    const list = (await req(sup, 'GET', `/api/v1/customers?q=${encodeURIComponent('合并甲')}`)).json();
    assert.deepEqual(
      list.items.map((c: { id: string }) => c.id),
      [target.id],
      'merged record leaves the list',
    );
    assert.equal((await verifyAudit(t.db, a.orgId)).ok, true);
  });

  test('assignment: to one agent, or least loaded with a skill; each owner gets a 7-day contact task', async () => {
    const sup = await a.token('supervisor');
    const admin = await a.token('admin');
    const ids: string[] = [];
    for (let i = 0; i < 4; i++)
      ids.push(
        (
          await req(admin, 'POST', '/api/v1/customers', { kind: 'person', name: `待分配${i}`, ownerId: null })
        ).json().id,
      );
    assert.equal(
      (
        await req(await a.token('agent'), 'POST', '/api/v1/customers/assign', {
          customerIds: ids,
          strategy: 'agent',
          agentId: a.users.agent.id,
        })
      ).statusCode,
      403,
    );
    const pool = await req(sup, 'GET', '/api/v1/customers?ownerId=none');
    assert.ok(pool.json().items.length >= 4, 'supervisor sees the unassigned pool');
    const one = await req(sup, 'POST', '/api/v1/customers/assign', {
      customerIds: [ids[0]],
      strategy: 'agent',
      agentId: a.users.agent.id,
    });
    assert.equal(one.statusCode, 200);
    assert.equal(one.json().assigned, 1);
    await settle(t.db); // the P1 process starts on the customer.assigned event
    const tasks = (await req(await a.token('agent'), 'GET', '/api/v1/tasks?status=open'))
      .json()
      .items.filter((x: { relatedId: string }) => x.relatedId === ids[0]);
    assert.equal(tasks.length, 1);
    assert.equal(tasks[0].kind, 'contact_new_customer');
    const dueInDays = (new Date(tasks[0].dueAt).getTime() - Date.now()) / 86_400_000;
    assert.ok(dueInDays > 6.9 && dueInDays <= 7, `due in 7 days, got ${dueInDays}`);

    // Balance: agent owns more than agent2 now; least_loaded with skill 大客户 can only pick agent2.
    const skilled = await req(sup, 'POST', '/api/v1/customers/assign', {
      customerIds: [ids[1]],
      strategy: 'least_loaded',
      skill: '大客户',
    });
    assert.equal(skilled.json().assignments[0].ownerId, a.users.agent2.id);
    const counts = async () => {
      const rows = (
        await t.db.query<{ owner_id: string; n: number }>(
          "SELECT owner_id, count(*)::int AS n FROM customers WHERE org_id = $1 AND status = 'active' AND owner_id = ANY($2::uuid[]) GROUP BY owner_id",
          [a.orgId, [a.users.agent.id, a.users.agent2.id]],
        )
      ).rows;
      return Object.fromEntries(rows.map((r) => [r.owner_id, r.n]));
    };
    const before = await counts();
    const balanced = await req(sup, 'POST', '/api/v1/customers/assign', {
      customerIds: [ids[2], ids[3]],
      strategy: 'least_loaded',
      skill: '售后',
    });
    assert.equal(balanced.json().assigned, 2);
    const afterCounts = await counts();
    const diff = Math.abs((afterCounts[a.users.agent.id] ?? 0) - (afterCounts[a.users.agent2.id] ?? 0));
    const diffBefore = Math.abs((before[a.users.agent.id] ?? 0) - (before[a.users.agent2.id] ?? 0));
    assert.ok(diff <= Math.max(diffBefore - 2, diffBefore % 2), `load evened out: ${diffBefore} → ${diff}`);

    // Reassigning cancels the previous owner's open contact task.
    await req(sup, 'POST', '/api/v1/customers/assign', {
      customerIds: [ids[0]],
      strategy: 'agent',
      agentId: a.users.agent2.id,
    });
    await settle(t.db);
    const old = (
      await t.db.query<{ status: string; assignee_id: string }>(
        'SELECT status, assignee_id FROM tasks WHERE org_id = $1 AND related_id = $2 ORDER BY created_at',
        [a.orgId, ids[0]],
      )
    ).rows;
    assert.deepEqual(
      old.map((r) => [r.assignee_id, r.status]),
      [
        [a.users.agent.id, 'cancelled'],
        [a.users.agent2.id, 'open'],
      ],
    );
    const noSkill = await req(sup, 'POST', '/api/v1/customers/assign', {
      customerIds: [ids[0]],
      strategy: 'least_loaded',
      skill: '不存在的技能',
    });
    assert.equal(noSkill.statusCode, 422);
    assert.ok(noSkill.json().error.fields.skill);
  });

  test('completing a task records its outcome', async () => {
    const agent2 = await a.token('agent2');
    const open = (await req(agent2, 'GET', '/api/v1/tasks?status=open')).json().items;
    assert.ok(open.length > 0);
    const done = await req(agent2, 'PATCH', `/api/v1/tasks/${open[0].id}`, {
      status: 'done',
      outcome: '已电话联系，客户约下周到店',
    });
    assert.equal(done.statusCode, 200);
    assert.equal(done.json().status, 'done');
    assert.ok(done.json().completedAt);
    assert.equal(
      (await req(await a.token('agent'), 'PATCH', `/api/v1/tasks/${open[0].id}`, { status: 'open' }))
        .statusCode,
      404,
      'not their task',
    );
  });
});
