/**
 * Tenancy in identity administration: an admin of org A gets 404 for org B's user, team and role ids, never
 * sees them in lists, and cannot attach them to org A's records.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { as, buildOrg, makeTestApp, PASSWORD, type TestApp, type TestOrg } from '../harness.ts';

let t: TestApp;
let a: TestOrg;
let b: TestOrg;
let adminA: Record<string, string>;
let adminB: Record<string, string>;
let roleB: { id: string; version: number };

before(async () => {
  t = await makeTestApp();
  a = await buildOrg(t.services);
  b = await buildOrg(t.services);
  adminA = as(await a.token('admin'));
  adminB = as(await b.token('admin'));
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/roles',
    headers: adminB,
    payload: { key: 'b_only', name: 'B', permissions: ['customer.read'] },
  });
  assert.equal(r.statusCode, 201, r.body);
  roleB = r.json();
});
after(() => t.close());

describe('org A admin vs org B ids', () => {
  it("B's users: 404 on GET and PATCH, and the user is unchanged", async () => {
    const id = b.users.agent.id;
    const get = await t.app.inject({ method: 'GET', url: `/api/v1/users/${id}`, headers: adminA });
    assert.equal(get.statusCode, 404);
    assert.equal(get.json().error.code, 'not_found');
    for (const payload of [{ name: 'hijacked' }, { status: 'disabled' }, { password: 'hijacked-pass' }]) {
      const r = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${id}`, headers: adminA, payload });
      assert.equal(r.statusCode, 404, JSON.stringify(payload));
    }
    const seen = await t.app.inject({ method: 'GET', url: `/api/v1/users/${id}`, headers: adminB });
    assert.equal(seen.statusCode, 200);
    assert.equal(seen.json().name, b.users.agent.name);
    assert.equal(seen.json().status, 'active');
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: b.users.agent.email, password: PASSWORD },
    });
    assert.equal(login.statusCode, 200, "B's user still signs in with their own password");
  });

  it("B's teams: 404 on PATCH; B's team unchanged", async () => {
    const r = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/teams/${b.teamId}`,
      headers: adminA,
      payload: { name: 'hijacked', memberIds: [] },
    });
    assert.equal(r.statusCode, 404, r.body);
    const teams = await t.app.inject({ method: 'GET', url: '/api/v1/teams', headers: adminB });
    const team = teams.json().items.find((x: { id: string }) => x.id === b.teamId);
    assert.equal(team.name, '一组');
    assert.equal(team.memberIds.length, 3);
  });

  it("B's roles: 404 on PATCH and DELETE; the role survives", async () => {
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/roles/${roleB.id}`,
      headers: adminA,
      payload: { permissions: ['*'] },
    });
    assert.equal(patch.statusCode, 404, patch.body);
    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/roles/${roleB.id}`, headers: adminA });
    assert.equal(del.statusCode, 404);
    const builtinB = b.users.agent.role_id;
    assert.equal(
      (
        await t.app.inject({
          method: 'PATCH',
          url: `/api/v1/roles/${builtinB}`,
          headers: adminA,
          payload: { name: 'x' },
        })
      ).statusCode,
      404,
    );
    const roles = await t.app.inject({ method: 'GET', url: '/api/v1/roles', headers: adminB });
    const r = roles.json().items.find((x: { id: string }) => x.id === roleB.id);
    assert.deepEqual(r.permissions, ['customer.read']);
  });

  it("lists in A never contain B's users, teams or roles", async () => {
    const users = (await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: adminA })).json()
      .items as { id: string }[];
    const dir = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/users/directory',
        headers: as(await a.token('agent')),
      })
    ).json().items as { id: string }[];
    const teams = (await t.app.inject({ method: 'GET', url: '/api/v1/teams', headers: adminA })).json()
      .items as { id: string }[];
    const roles = (await t.app.inject({ method: 'GET', url: '/api/v1/roles', headers: adminA })).json()
      .items as { id: string }[];
    const bIds = new Set([
      ...Object.values(b.users).map((u) => u.id),
      b.teamId,
      roleB.id,
      b.users.agent.role_id,
    ]);
    for (const x of [...users, ...dir, ...teams, ...roles]) assert.ok(!bIds.has(x.id), x.id);
    assert.ok(users.some((u) => u.id === a.users.agent.id));
  });

  it("A's records cannot reference B's role, team or users (422 on the field)", async () => {
    const base = { email: `cross@${a.slug}.test`, name: 'cross', password: PASSWORD };
    const withRole = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: adminA,
      payload: { ...base, roleId: roleB.id },
    });
    assert.equal(withRole.statusCode, 422, withRole.body);
    assert.ok(withRole.json().error.fields.roleId);
    const withTeam = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: adminA,
      payload: { ...base, teamIds: [b.teamId] },
    });
    assert.equal(withTeam.statusCode, 422);
    assert.ok(withTeam.json().error.fields['teamIds.0']);
    const team = await t.app.inject({
      method: 'POST',
      url: '/api/v1/teams',
      headers: adminA,
      payload: { name: '跨租户', memberIds: [b.users.agent.id] },
    });
    assert.equal(team.statusCode, 422);
    assert.ok(team.json().error.fields['memberIds.0']);
    const sup = await t.app.inject({
      method: 'POST',
      url: '/api/v1/teams',
      headers: adminA,
      payload: { name: '跨租户2', supervisorId: b.users.supervisor.id },
    });
    assert.equal(sup.statusCode, 422);
    const moved = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${a.users.agent.id}`,
      headers: adminA,
      payload: { roleId: roleB.id },
    });
    assert.equal(moved.statusCode, 422);
  });

  it('the same email may exist in both orgs (duplicates are per org)', async () => {
    const email = `both-${a.slug}@example.test`;
    for (const h of [adminA, adminB]) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: h,
        payload: { email, name: 'both', password: PASSWORD },
      });
      assert.equal(r.statusCode, 201, r.body);
    }
  });
});
