/**
 * Self-escalation: nobody grants a role or a permission they do not hold themselves, nobody manages a user or a
 * role stronger than they are, nobody changes their own role or disables themselves, and the last active
 * administrator cannot be disabled or demoted. Refusals name the field in the caller's language.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { systemCtx } from '../../src/platform/context.ts';
import type { AppError } from '../../src/platform/http/errors.ts';
import { as, buildOrg, ctxFor, makeTestApp, PASSWORD, type TestApp, type TestOrg } from '../harness.ts';

let t: TestApp;
let org: TestOrg;
let admin: string;
const roleIds: Record<string, string> = {};

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const api = (token: string, method: Method, url: string, payload?: unknown, lang = 'en') =>
  t.app.inject({ method, url, headers: as(token, { 'accept-language': lang }), payload: payload as object });

async function role(key: string, permissions: string[]) {
  const r = await api(admin, 'POST', '/api/v1/roles', { key, name: key, permissions });
  assert.equal(r.statusCode, 201, r.body);
  roleIds[key] = r.json().id;
  return r.json().id as string;
}

/** A user with the given role, and an API token of theirs. */
async function userWith(local: string, roleKey: string) {
  const r = await api(admin, 'POST', '/api/v1/users', {
    email: `${local}@${org.slug}.test`,
    name: local,
    password: PASSWORD,
    roleKey,
  });
  assert.equal(r.statusCode, 201, r.body);
  const [u] = await t.services.identity.usersByIds(org.orgId, [r.json().id]);
  const { token } = await t.services.auth.createToken(ctxFor(org.orgId, u), { name: 'abuse' });
  return { id: u.id, token, version: u.version };
}

const userRow = async (id: string) => (await t.services.identity.usersByIds(org.orgId, [id]))[0];

before(async () => {
  t = await makeTestApp();
  org = await buildOrg(t.services);
  admin = await org.token('admin');
  const roles = (await api(admin, 'GET', '/api/v1/roles?limit=200')).json().items as Array<{
    id: string;
    key: string;
  }>;
  for (const r of roles) roleIds[r.key] = r.id;
});
after(() => t.close());

describe('user.manage alone cannot grant what it does not hold', () => {
  let mgr: { id: string; token: string };
  before(async () => {
    await role('user_admin', ['user.manage']);
    await role('nobody', []);
    mgr = await userWith('usermgr', 'user_admin');
  });

  it('PATCH /users/{self} to the admin role: 422 on roleId, role unchanged', async () => {
    const r = await api(mgr.token, 'PATCH', `/api/v1/users/${mgr.id}`, { roleId: roleIds.admin });
    assert.equal(r.statusCode, 422, r.body);
    assert.ok(r.json().error.fields.roleId);
    assert.equal((await userRow(mgr.id)).role_key, 'user_admin');
  });

  it('PATCH another user to the admin role: 422 naming the permissions it lacks', async () => {
    const weak = await userWith('weakling', 'nobody');
    const r = await api(mgr.token, 'PATCH', `/api/v1/users/${weak.id}`, { roleId: roleIds.admin });
    assert.equal(r.statusCode, 422, r.body);
    assert.match(r.json().error.fields.roleId, /permissions you do not have \(\*\)/);
    const zh = await api(
      mgr.token,
      'PATCH',
      `/api/v1/users/${weak.id}`,
      { roleId: roleIds.supervisor },
      'zh-CN',
    );
    assert.match(zh.json().error.fields.roleId, /您没有的权限.*customer\.read/);
    assert.equal((await userRow(weak.id)).role_key, 'nobody');
  });

  it('POST /users with a stronger role: 422 on roleKey / roleId; a role within its own rights is fine', async () => {
    const base = { name: 'n', password: PASSWORD };
    const byKey = await api(mgr.token, 'POST', '/api/v1/users', {
      ...base,
      email: `x1@${org.slug}.test`,
      roleKey: 'admin',
    });
    assert.equal(byKey.statusCode, 422, byKey.body);
    assert.ok(byKey.json().error.fields.roleKey);
    const byId = await api(mgr.token, 'POST', '/api/v1/users', {
      ...base,
      email: `x2@${org.slug}.test`,
      roleId: roleIds.manager,
    });
    assert.equal(byId.statusCode, 422, byId.body);
    assert.ok(byId.json().error.fields.roleId);
    const ok = await api(mgr.token, 'POST', '/api/v1/users', {
      ...base,
      email: `x3@${org.slug}.test`,
      roleId: roleIds.nobody,
    });
    assert.equal(ok.statusCode, 201, ok.body);
  });

  it("cannot take over a stronger user (reset an admin's password, disable a supervisor): 403", async () => {
    const pw = await api(mgr.token, 'PATCH', `/api/v1/users/${org.users.admin.id}`, {
      password: 'attacker-password-1',
    });
    assert.equal(pw.statusCode, 403, pw.body);
    assert.match(pw.json().error.fields.id, /holds permissions you do not have/);
    const off = await api(mgr.token, 'PATCH', `/api/v1/users/${org.users.supervisor.id}`, {
      status: 'disabled',
    });
    assert.equal(off.statusCode, 403, off.body);
    assert.equal((await userRow(org.users.supervisor.id)).status, 'active');
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: org.users.admin.email, password: PASSWORD },
    });
    assert.equal(login.statusCode, 200, "the admin's password is unchanged");
  });
});

describe('role.manage alone cannot add what it does not hold', () => {
  let mgr: { id: string; token: string };
  before(async () => {
    await role('role_admin', ['role.manage']);
    mgr = await userWith('rolemgr', 'role_admin');
  });

  it('adding "*" to its own role: 422 on that permission, role unchanged', async () => {
    const r = await api(mgr.token, 'PATCH', `/api/v1/roles/${roleIds.role_admin}`, {
      permissions: ['role.manage', '*'],
    });
    assert.equal(r.statusCode, 422, r.body);
    assert.match(r.json().error.fields['permissions.1'], /You do not hold \* yourself/);
    const es = await api(
      mgr.token,
      'PATCH',
      `/api/v1/roles/${roleIds.role_admin}`,
      { permissions: ['role.manage', 'user.manage'] },
      'es',
    );
    assert.equal(es.statusCode, 422);
    assert.match(es.json().error.fields['permissions.1'], /Usted no tiene user\.manage/);
    const [row] = (await api(admin, 'GET', '/api/v1/roles?limit=200'))
      .json()
      .items.filter((x: { key: string }) => x.key === 'role_admin');
    assert.deepEqual(row.permissions, ['role.manage']);
  });

  it('creating a role with "*" or a permission it lacks: 422; with only its own: 201', async () => {
    const star = await api(mgr.token, 'POST', '/api/v1/roles', {
      key: 'evil',
      name: 'evil',
      permissions: ['*'],
    });
    assert.equal(star.statusCode, 422, star.body);
    assert.ok(star.json().error.fields['permissions.0']);
    const some = await api(mgr.token, 'POST', '/api/v1/roles', {
      key: 'evil2',
      name: 'evil2',
      permissions: ['role.manage', 'customer.delete'],
    });
    assert.equal(some.statusCode, 422, some.body);
    assert.deepEqual(Object.keys(some.json().error.fields), ['permissions.1']);
    const ok = await api(mgr.token, 'POST', '/api/v1/roles', {
      key: 'role_helper',
      name: 'helper',
      permissions: ['role.manage'],
    });
    assert.equal(ok.statusCode, 201, ok.body);
  });

  it('cannot edit or delete a role stronger than itself (403); may remove its own permissions', async () => {
    const strong = await role('strong', ['customer.delete', 'role.manage']);
    const edit = await api(mgr.token, 'PATCH', `/api/v1/roles/${strong}`, { permissions: ['role.manage'] });
    assert.equal(edit.statusCode, 403, edit.body);
    const del = await api(mgr.token, 'DELETE', `/api/v1/roles/${strong}`);
    assert.equal(del.statusCode, 403, del.body);
    const helper = roleIds.role_helper ?? (await role('role_helper2', ['role.manage']));
    const shrink = await api(mgr.token, 'PATCH', `/api/v1/roles/${helper}`, { permissions: [] });
    assert.equal(shrink.statusCode, 200, shrink.body);
  });
});

describe('own account and the last administrator', () => {
  it('an admin cannot change their own role (422 on roleId) nor disable themselves (422 on status)', async () => {
    const me = org.users.admin.id;
    // The admin's saved language (zh-CN) is the language of their refusals.
    const demote = await api(admin, 'PATCH', `/api/v1/users/${me}`, { roleId: roleIds.agent }, 'zh-CN');
    assert.equal(demote.statusCode, 422, demote.body);
    assert.match(demote.json().error.fields.roleId, /不能修改自己的角色/);
    const off = await api(admin, 'PATCH', `/api/v1/users/${me}`, { status: 'disabled' }, 'zh-CN');
    assert.equal(off.statusCode, 422, off.body);
    assert.equal(off.json().error.fields.status, '不能停用自己的账号');
    // Still signed in and still an admin; sending one's own role unchanged (as the edit form does) is fine.
    const same = await api(admin, 'PATCH', `/api/v1/users/${me}`, {
      roleId: roleIds.admin,
      name: '管理员甲',
    });
    assert.equal(same.statusCode, 200, same.body);
    assert.equal(same.json().status, 'active');
  });

  it('nobody can change their own role, even to a weaker one whose permissions they hold', async () => {
    const me = await userWith('selfmover', 'user_admin');
    const r = await api(me.token, 'PATCH', `/api/v1/users/${me.id}`, { roleId: roleIds.nobody });
    assert.equal(r.statusCode, 422, r.body);
    assert.ok(r.json().error.fields.roleId);
    assert.equal((await userRow(me.id)).role_key, 'user_admin');
  });

  it('the last active admin cannot be disabled or demoted, even from the command line (422)', async () => {
    const cli = systemCtx(org.orgId);
    const me = org.users.admin.id;
    await assert.rejects(
      t.services.identity.updateUser(cli, me, { status: 'disabled' }),
      (e: AppError) =>
        e.status === 422 && !!e.fields?.status && e.fields.status.key === 'validation.last_admin',
    );
    await assert.rejects(
      t.services.identity.updateUser(cli, me, { roleId: roleIds.manager }),
      (e: AppError) => e.status === 422 && e.fields?.roleId?.key === 'validation.last_admin',
    );
    assert.equal((await userRow(me)).status, 'active');
  });

  it('with a second admin, one may disable the other; two admins disabling each other at once leave one', async () => {
    const a2 = await userWith('admin2', 'admin');
    const a3 = await userWith('admin3', 'admin');
    // admin disables admin3: fine, two remain.
    assert.equal(
      (await api(admin, 'PATCH', `/api/v1/users/${a3.id}`, { status: 'disabled' })).statusCode,
      200,
    );
    const [x, y] = await Promise.all([
      api(admin, 'PATCH', `/api/v1/users/${a2.id}`, { status: 'disabled' }),
      api(a2.token, 'PATCH', `/api/v1/users/${org.users.admin.id}`, { status: 'disabled' }),
    ]);
    const codes = [x.statusCode, y.statusCode].sort();
    assert.ok(
      codes[0] === 200 && [401, 422].includes(codes[1]),
      `exactly one succeeds: ${x.statusCode} ${x.body} / ${y.statusCode} ${y.body}`,
    );
    const active = (await t.services.identity.listUsers(systemCtx(org.orgId))).filter(
      (u) => u.status === 'active' && u.permissions.includes('*'),
    );
    assert.equal(active.length, 1);
  });

  it("taking '*' from the custom role of the only remaining admins: 422 on permissions", async () => {
    const org2 = await buildOrg(t.services);
    const boss = await org2.token('admin');
    const mk = await api(boss, 'POST', '/api/v1/roles', { key: 'superuser', name: 's', permissions: ['*'] });
    const su = mk.json().id;
    const created = await api(boss, 'POST', '/api/v1/users', {
      email: `su@${org2.slug}.test`,
      name: 'su',
      password: PASSWORD,
      roleId: su,
    });
    assert.equal(created.statusCode, 201, created.body);
    const [suUser] = await t.services.identity.usersByIds(org2.orgId, [created.json().id]);
    const suToken = (await t.services.auth.createToken(ctxFor(org2.orgId, suUser), { name: 'x' })).token;
    // su demotes the built-in admin: su remains an admin, so this is allowed.
    const demote = await api(suToken, 'PATCH', `/api/v1/users/${org2.users.admin.id}`, {
      roleId: (await api(suToken, 'GET', '/api/v1/roles?limit=200'))
        .json()
        .items.find((r: { key: string }) => r.key === 'manager').id,
    });
    assert.equal(demote.statusCode, 200, demote.body);
    const strip = await api(suToken, 'PATCH', `/api/v1/roles/${su}`, { permissions: ['user.manage'] });
    assert.equal(strip.statusCode, 422, strip.body);
    assert.match(strip.json().error.fields.permissions, /No other active administrator would remain/);
  });
});
