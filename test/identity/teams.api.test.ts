/**
 * Teams: admins create and update them (members replaced as a set); any signed-in member lists them.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { as, buildOrg, makeTestApp, type TestApp, type TestOrg } from '../harness.ts';

let t: TestApp;
let org: TestOrg;
let admin: Record<string, string>;

before(async () => {
  t = await makeTestApp();
  org = await buildOrg(t.services);
  admin = as(await org.token('admin'));
});
after(() => t.close());

describe('teams', () => {
  it('admin creates a team; any signed-in member lists it; non-admins cannot create', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/teams',
      headers: admin,
      payload: { name: '二组', supervisorId: org.users.supervisor.id, memberIds: [org.users.agent.id] },
    });
    assert.equal(r.statusCode, 201, r.body);
    assert.deepEqual(r.json().memberIds, [org.users.agent.id]);
    for (const who of ['agent', 'finance'] as const) {
      const list = await t.app.inject({
        method: 'GET',
        url: '/api/v1/teams',
        headers: as(await org.token(who)),
      });
      assert.equal(list.statusCode, 200);
      assert.ok(
        list.json().items.some((x: { id: string }) => x.id === r.json().id),
        who,
      );
    }
    const denied = await t.app.inject({
      method: 'POST',
      url: '/api/v1/teams',
      headers: as(await org.token('supervisor')),
      payload: { name: '三组' },
    });
    assert.equal(denied.statusCode, 403);
    const dup = await t.app.inject({
      method: 'POST',
      url: '/api/v1/teams',
      headers: admin,
      payload: { name: '二组' },
    });
    assert.equal(dup.statusCode, 409);
  });

  it('PATCH replaces the members, and the users see their new team', async () => {
    const team = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/teams',
        headers: admin,
        payload: { name: '四组', memberIds: [org.users.agent.id] },
      })
    ).json();
    const r = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/teams/${team.id}`,
      headers: admin,
      payload: { memberIds: [org.users.agent2.id, org.users.finance.id] },
    });
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual([...r.json().memberIds].sort(), [org.users.agent2.id, org.users.finance.id].sort());
    const fin = await t.app.inject({
      method: 'GET',
      url: `/api/v1/users/${org.users.finance.id}`,
      headers: admin,
    });
    assert.ok(fin.json().teamIds.includes(team.id));
    const ag = await t.app.inject({
      method: 'GET',
      url: `/api/v1/users/${org.users.agent.id}`,
      headers: admin,
    });
    assert.ok(!ag.json().teamIds.includes(team.id), 'removed members leave the team');
    const bad = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/teams/${team.id}`,
      headers: admin,
      payload: { memberIds: [randomUUID()] },
    });
    assert.equal(bad.statusCode, 422);
    assert.ok(bad.json().error.fields['memberIds.0']);
  });

  it('a member listed twice is one member (no 500)', async () => {
    const a = org.users.agent.id;
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/teams',
      headers: admin,
      payload: { name: '五组', memberIds: [a, a] },
    });
    assert.equal(created.statusCode, 201, created.body);
    assert.deepEqual(created.json().memberIds, [a]);
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/teams/${created.json().id}`,
      headers: admin,
      payload: { memberIds: [a, a] },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.deepEqual(patched.json().memberIds, [a]);
  });

  it("renaming a team to another team's name → 409 (no 500)", async () => {
    const team = (
      await t.app.inject({ method: 'POST', url: '/api/v1/teams', headers: admin, payload: { name: '六组' } })
    ).json();
    const r = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/teams/${team.id}`,
      headers: admin,
      payload: { name: '一组' },
    });
    assert.equal(r.statusCode, 409, r.body);
    assert.equal(r.json().error.code, 'conflict');
    const same = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/teams/${team.id}`,
      headers: admin,
      payload: { name: '六组' },
    });
    assert.equal(same.statusCode, 200, 'keeping its own name is fine');
  });
});
