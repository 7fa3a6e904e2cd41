/**
 * The users admin API: the 401 → 403 → 404 → 422 → 201/200 walk, duplicate emails and ETag/If-Match.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { as, buildOrg, makeTestApp, PASSWORD, type TestApp, type TestOrg } from '../harness.ts';

let t: TestApp;
let org: TestOrg;
let admin: Record<string, string>;

const newUserBody = (local: string) => ({
  email: `${local}@${org.slug}.test`,
  name: local,
  password: PASSWORD,
  roleKey: 'agent',
});

before(async () => {
  t = await makeTestApp({ KEPT_LOGIN_RATE_PER_MINUTE: '1000' });
  org = await buildOrg(t.services);
  admin = as(await org.token('admin'));
});
after(() => t.close());

describe('users admin API', () => {
  it('walks 401 → 403 → 404 → 422 → 201 → 200', async () => {
    const body = newUserBody('walker');
    const noAuth = await t.app.inject({ method: 'POST', url: '/api/v1/users', payload: body });
    assert.equal(noAuth.statusCode, 401);
    assert.equal(noAuth.json().error.code, 'unauthenticated');

    const agent = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: as(await org.token('agent')),
      payload: body,
    });
    assert.equal(agent.statusCode, 403);
    assert.equal(agent.json().error.code, 'forbidden');

    for (const id of [randomUUID(), 'not-a-uuid']) {
      const r = await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/users/${id}`,
        headers: admin,
        payload: { name: 'x' },
      });
      assert.equal(r.statusCode, 404, `${id}: ${r.body}`);
      assert.equal(r.json().error.code, 'not_found');
      assert.equal(
        (await t.app.inject({ method: 'GET', url: `/api/v1/users/${id}`, headers: admin })).statusCode,
        404,
      );
    }

    const fields: Record<string, Record<string, string>> = {};
    for (const lang of ['zh-CN', 'en', 'es']) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: { ...admin, 'accept-language': lang },
        payload: { ...body, email: 'not-an-email', password: 'short' },
      });
      assert.equal(r.statusCode, 422, r.body);
      assert.equal(r.json().error.code, 'validation');
      fields[lang] = r.json().error.fields;
      assert.deepEqual(Object.keys(fields[lang]).sort(), ['email', 'password']);
      assert.ok(fields[lang].email.length > 0 && fields[lang].password.length > 0);
    }
    assert.equal(
      new Set(['zh-CN', 'en', 'es'].map((l) => fields[l].email)).size,
      3,
      'email message localized',
    );
    assert.equal(
      new Set(['zh-CN', 'en', 'es'].map((l) => fields[l].password)).size,
      3,
      'password message localized',
    );
    assert.match(fields.en.password, /8/);

    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin,
      payload: body,
    });
    assert.equal(created.statusCode, 201, created.body);
    const u = created.json();
    assert.equal(u.email, body.email);
    assert.equal(u.roleKey, 'agent');
    assert.equal(u.status, 'active');
    assert.equal(created.headers.etag, `"${u.version}"`);
    assert.ok(!created.body.includes('password'), 'no password hash in the response');

    const got = await t.app.inject({ method: 'GET', url: `/api/v1/users/${u.id}`, headers: admin });
    assert.equal(got.statusCode, 200);
    assert.equal(got.json().email, body.email);
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${u.id}`,
      headers: admin,
      payload: { name: '新名字', skills: ['售后'] },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().name, '新名字');
    assert.deepEqual(patched.json().skills, ['售后']);

    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: body.email, password: PASSWORD },
    });
    assert.equal(login.statusCode, 200, 'the new user can sign in');
  });

  it('a duplicate email in the org (any case) → 409 email_taken', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin,
      payload: { ...newUserBody('x'), email: org.users.agent.email.toUpperCase() },
    });
    assert.equal(r.statusCode, 409, r.body);
    assert.equal(r.json().error.code, 'email_taken');
  });

  it('two simultaneous creates with one email: one 201, the other 409 (never 500)', async () => {
    const body = newUserBody('racer');
    const rs = await Promise.all(
      [1, 2, 3].map(() =>
        t.app.inject({ method: 'POST', url: '/api/v1/users', headers: admin, payload: body }),
      ),
    );
    const codes = rs.map((r) => r.statusCode).sort();
    assert.deepEqual(codes, [201, 409, 409], rs.map((r) => r.body).join('\n'));
    for (const r of rs.filter((x) => x.statusCode === 409)) assert.equal(r.json().error.code, 'email_taken');
  });

  it('only admins list users; agents see the directory of active members', async () => {
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: as(await org.token('manager')) }))
        .statusCode,
      403,
    );
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: admin });
    assert.equal(list.statusCode, 200);
    assert.ok(list.json().items.some((u: { id: string }) => u.id === org.users.finance.id));
    const dir = await t.app.inject({
      method: 'GET',
      url: '/api/v1/users/directory',
      headers: as(await org.token('agent')),
    });
    assert.equal(dir.statusCode, 200);
    assert.ok(dir.json().items.some((u: { id: string }) => u.id === org.users.agent2.id));
    assert.ok(!dir.body.includes('@'), 'the directory does not expose emails');
  });

  it('ETag/If-Match on PATCH /users/:id: current version → 200 and a new ETag; stale → 412 and nothing changes', async () => {
    const id = org.users.agent2.id;
    const g = await t.app.inject({ method: 'GET', url: `/api/v1/users/${id}`, headers: admin });
    const etag = g.headers.etag as string;
    assert.match(etag, /^"\d+"$/);
    const ok = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${id}`,
      headers: { ...admin, 'if-match': etag },
      payload: { name: '第一次' },
    });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.notEqual(ok.headers.etag, etag);
    assert.equal(ok.headers.etag, `"${ok.json().version}"`);

    const stale = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${id}`,
      headers: { ...admin, 'if-match': etag },
      payload: { name: '第二次' },
    });
    assert.equal(stale.statusCode, 412, stale.body);
    assert.equal(stale.json().error.code, 'stale');
    const now = await t.app.inject({ method: 'GET', url: `/api/v1/users/${id}`, headers: admin });
    assert.equal(now.json().name, '第一次');
  });
});
