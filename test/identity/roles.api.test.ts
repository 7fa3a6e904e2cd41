/**
 * Roles over HTTP: the built-in roles every org gets, custom roles composed from the permission catalog and
 * enforced at once, and the guards on built-in and in-use roles.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { as, buildOrg, ctxFor, makeTestApp, PASSWORD, type TestApp, type TestOrg } from '../harness.ts';

let t: TestApp;
let org: TestOrg;
let admin: Record<string, string>;

interface Role {
  id: string;
  key: string;
  name: string;
  permissions: string[];
  builtin: boolean;
  version: number;
}

async function roles(o: TestOrg = org): Promise<Role[]> {
  const r = await t.app.inject({ method: 'GET', url: '/api/v1/roles', headers: as(await o.token('admin')) });
  assert.equal(r.statusCode, 200, r.body);
  return r.json().items;
}

async function createRole(body: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url: '/api/v1/roles', headers: admin, payload: body });
}

async function userWithRole(roleId: string, local: string) {
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: admin,
    payload: { email: `${local}@${org.slug}.test`, name: local, password: PASSWORD, roleId },
  });
  assert.equal(r.statusCode, 201, r.body);
  const [user] = await t.services.identity.usersByIds(org.orgId, [r.json().id]);
  const token = await t.services.auth.createToken(ctxFor(org.orgId, user), { name: 'test' });
  return { id: user.id, token: token.token };
}

before(async () => {
  t = await makeTestApp();
  org = await buildOrg(t.services);
  admin = as(await org.token('admin'));
});
after(() => t.close());

describe('built-in roles', () => {
  it('every org has agent, supervisor, manager, finance and admin, its own copies', async () => {
    const a = await roles();
    const builtin = a
      .filter((r) => r.builtin)
      .map((r) => r.key)
      .sort();
    assert.deepEqual(builtin, ['admin', 'agent', 'finance', 'manager', 'supervisor']);
    for (const r of a.filter((x) => x.builtin))
      assert.ok(r.name.length > 0 && r.permissions.length > 0, r.key);

    const other = await buildOrg(t.services);
    const b = await roles(other);
    assert.deepEqual(
      b
        .filter((r) => r.builtin)
        .map((r) => r.key)
        .sort(),
      builtin,
    );
    const idsA = new Set(a.map((r) => r.id));
    assert.ok(
      b.every((r) => !idsA.has(r.id)),
      'role ids are per org',
    );
  });

  it('only admins may list roles', async () => {
    for (const who of ['agent', 'supervisor', 'manager', 'finance'] as const) {
      const r = await t.app.inject({
        method: 'GET',
        url: '/api/v1/roles',
        headers: as(await org.token(who)),
      });
      assert.equal(r.statusCode, 403, who);
      assert.equal(r.json().error.code, 'forbidden');
    }
  });

  it('their permissions cannot be edited (409 builtin_role) and they cannot be deleted', async () => {
    const agent = (await roles()).find((r) => r.key === 'agent')!;
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/roles/${agent.id}`,
      headers: admin,
      payload: { permissions: ['*'] },
    });
    assert.equal(patch.statusCode, 409, patch.body);
    assert.equal(patch.json().error.code, 'builtin_role');
    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/roles/${agent.id}`, headers: admin });
    assert.equal(del.statusCode, 409);
    assert.equal(del.json().error.code, 'builtin_role');
    const after = (await roles()).find((r) => r.key === 'agent')!;
    assert.deepEqual(after.permissions, agent.permissions);
    // And the agent still cannot do admin things.
    const r = await t.app.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: as(await org.token('agent')),
    });
    assert.equal(r.statusCode, 403);
  });
});

describe('custom roles', () => {
  it('a read-only role: its user can list customers but gets 403 on POST /customers, until the role is widened', async () => {
    const c = await createRole({ key: 'viewer', name: '只读', permissions: ['customer.read'] });
    assert.equal(c.statusCode, 201, c.body);
    const role = c.json() as Role;
    assert.equal(role.builtin, false);
    assert.deepEqual(role.permissions, ['customer.read']);

    const u = await userWithRole(role.id, 'viewer');
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/customers', headers: as(u.token) });
    assert.equal(list.statusCode, 200, list.body);
    const post = await t.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: as(u.token),
      payload: { name: '只读用户建的客户' },
    });
    assert.equal(post.statusCode, 403, post.body);
    assert.equal(post.json().error.code, 'forbidden');

    const widen = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/roles/${role.id}`,
      headers: admin,
      payload: { permissions: ['customer.read', 'customer.create'] },
    });
    assert.equal(widen.statusCode, 200, widen.body);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: as(u.token),
      payload: { name: '只读用户建的客户' },
    });
    assert.equal(again.statusCode, 201, 'the change applies to existing tokens at once');
  });

  it('an unknown permission → 422 naming permissions.<index>, localized, and no role is created', async () => {
    for (const [lang, re] of [
      ['en', /Unknown permission: customer\.fly/],
      ['es', /customer\.fly/],
      ['zh-CN', /未知权限/],
    ] as const) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/roles',
        headers: { ...admin, 'accept-language': lang },
        payload: { key: 'flyer', name: 'Flyer', permissions: ['customer.fly', 'customer.read'] },
      });
      assert.equal(r.statusCode, 422, r.body);
      assert.equal(r.json().error.code, 'validation');
      assert.deepEqual(Object.keys(r.json().error.fields), ['permissions.0']);
      assert.match(r.json().error.fields['permissions.0'], re);
    }
    const second = await createRole({ key: 'flyer', name: 'Flyer', permissions: ['customer.read', 'nope'] });
    assert.equal(second.statusCode, 422);
    assert.ok(second.json().error.fields['permissions.1']);
    assert.ok(!(await roles()).some((r) => r.key === 'flyer'));
  });

  it('a second role with the same key → 409', async () => {
    assert.equal((await createRole({ key: 'dupe_key', name: 'A', permissions: [] })).statusCode, 201);
    const r = await createRole({ key: 'dupe_key', name: 'B', permissions: [] });
    assert.equal(r.statusCode, 409, r.body);
  });

  it('deleting a role in use → 409 role_in_use; once unused it can be deleted', async () => {
    const role = (
      await createRole({ key: 'temp_role', name: '临时', permissions: ['customer.read'] })
    ).json() as Role;
    const u = await userWithRole(role.id, 'temp');
    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/roles/${role.id}`, headers: admin });
    assert.equal(del.statusCode, 409, del.body);
    assert.equal(del.json().error.code, 'role_in_use');
    assert.ok((await roles()).some((r) => r.id === role.id));

    const agentRole = (await roles()).find((r) => r.key === 'agent')!;
    const move = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${u.id}`,
      headers: admin,
      payload: { roleId: agentRole.id },
    });
    assert.equal(move.statusCode, 200, move.body);
    assert.equal(move.json().roleKey, 'agent');
    const ok = await t.app.inject({ method: 'DELETE', url: `/api/v1/roles/${role.id}`, headers: admin });
    assert.equal(ok.statusCode, 204, ok.body);
    assert.ok(!(await roles()).some((r) => r.id === role.id));
  });

  it('only admins may create roles', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/roles',
      headers: as(await org.token('manager')),
      payload: { key: 'mgr_made', name: 'x', permissions: ['*'] },
    });
    assert.equal(r.statusCode, 403);
  });
});
