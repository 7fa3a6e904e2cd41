/**
 * Personal API tokens (shown once, Bearer auth, revocable, expiring) and what disabling a user does to their
 * sessions and tokens.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AUTH_CACHE_MS } from '../../src/modules/identity/auth-cache.ts';
import { as, buildOrg, makeTestApp, PASSWORD, type TestApp, type TestOrg } from '../harness.ts';

let t: TestApp;
let org: TestOrg;
let ipSeq = 0;

async function createToken(bearer: string, body: Record<string, unknown> = { name: 'ci' }) {
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/tokens',
    headers: as(bearer),
    payload: body,
  });
  assert.equal(r.statusCode, 201, r.body);
  return r.json() as {
    id: string;
    token: string;
    prefix: string;
    name: string;
    revokedAt: string | null;
    expiresAt: string | null;
  };
}

const me = (headers: Record<string, string>) =>
  t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers });

function login(email: string, password = PASSWORD) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress: `10.8.0.${++ipSeq}`,
    payload: { email, password },
  });
}

before(async () => {
  t = await makeTestApp({ KEPT_LOGIN_RATE_PER_MINUTE: '1000' });
  org = await buildOrg(t.services);
});
after(() => t.close());

describe('API tokens', () => {
  it('POST /auth/tokens → 201 with a kept_ token shown once; GET /auth/tokens lists it without the secret', async () => {
    const created = await createToken(await org.token('agent'), { name: '导出脚本' });
    assert.match(created.token, /^kept_[A-Za-z0-9_-]{20,}$/);
    assert.equal(created.name, '导出脚本');
    assert.ok(created.token.startsWith(created.prefix));
    assert.ok(created.prefix.length < created.token.length);
    assert.equal(created.revokedAt, null);

    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/tokens',
      headers: as(created.token),
    });
    assert.equal(list.statusCode, 200);
    const item = list.json().items.find((x: { id: string }) => x.id === created.id);
    assert.ok(item, 'the new token is listed');
    assert.equal(item.name, '导出脚本');
    assert.equal('token' in item, false);
    assert.ok(!list.body.includes(created.token), 'the secret never appears again');
  });

  it('the token authenticates as its owner; other users neither see nor revoke it', async () => {
    const created = await createToken(await org.token('agent'));
    const r = await me(as(created.token));
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().user.id, org.users.agent.id);
    assert.equal(r.json().csrfToken, null);

    const otherList = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/tokens',
      headers: as(await org.token('admin')),
    });
    assert.ok(!otherList.json().items.some((x: { id: string }) => x.id === created.id));
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/auth/tokens/${created.id}`,
      headers: as(await org.token('admin')),
    });
    assert.equal(del.statusCode, 404);
    assert.equal((await me(as(created.token))).statusCode, 200);
  });

  it('DELETE revokes it: 204, then 401 for the token, shown as revoked, and a second DELETE is 404', async () => {
    const owner = await org.token('agent2');
    const created = await createToken(owner);
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/auth/tokens/${created.id}`,
      headers: as(owner),
    });
    assert.equal(del.statusCode, 204, del.body);
    const r = await me(as(created.token));
    assert.equal(r.statusCode, 401);
    assert.equal(r.json().error.code, 'unauthenticated');
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/auth/tokens', headers: as(owner) });
    assert.ok(list.json().items.find((x: { id: string }) => x.id === created.id).revokedAt);
    assert.equal(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/auth/tokens/${created.id}`, headers: as(owner) }))
        .statusCode,
      404,
    );
    assert.equal(
      (await t.app.inject({ method: 'DELETE', url: '/api/v1/auth/tokens/not-a-uuid', headers: as(owner) }))
        .statusCode,
      404,
    );
  });

  it('an expired token no longer works', async () => {
    const created = await createToken(await org.token('agent'), { name: 'short', expiresInDays: 1 });
    assert.ok(created.expiresAt);
    assert.equal((await me(as(created.token))).statusCode, 200);
    await t.db.query(
      `UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE org_id = $1 AND id = $2`,
      [org.orgId, created.id],
    );
    // Edited in the database, not through Kept: seen once the authentication cache lets go (AUTH_CACHE_MS).
    await new Promise((r) => setTimeout(r, AUTH_CACHE_MS + 100));
    assert.equal((await me(as(created.token))).statusCode, 401);
  });

  it('garbage bearer tokens → 401 unauthenticated in the error envelope', async () => {
    const valid = await org.token('agent');
    for (const authorization of [
      'Bearer garbage',
      'Bearer kept_',
      `Bearer kept_${'A'.repeat(40)}`,
      `Bearer ${valid}x`,
      'Bearer ',
    ]) {
      const r = await t.app.inject({ method: 'GET', url: '/api/v1/customers', headers: { authorization } });
      assert.equal(r.statusCode, 401, `${authorization}: ${r.body}`);
      assert.deepEqual(Object.keys(r.json()), ['error']);
      assert.equal(r.json().error.code, 'unauthenticated');
    }
  });
});

describe('disabling a user', () => {
  it('revokes their sessions and tokens immediately and blocks login; re-enabling allows login, old token stays revoked', async () => {
    const admin = await org.token('admin');
    const reg = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: as(admin),
      payload: { email: `leaver@${org.slug}.test`, name: '离职员工', password: PASSWORD },
    });
    assert.equal(reg.statusCode, 201, reg.body);
    const user = reg.json();

    const l = await login(user.email);
    assert.equal(l.statusCode, 200);
    const cookie = { cookie: `kept_session=${l.cookies.find((c) => c.name === 'kept_session')!.value}` };
    const token = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/tokens',
        headers: { ...cookie, 'x-csrf-token': l.json().csrfToken },
        payload: { name: 'mine' },
      })
    ).json().token as string;
    assert.equal((await me(cookie)).statusCode, 200);
    assert.equal((await me(as(token))).statusCode, 200);

    const dis = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      headers: as(admin),
      payload: { status: 'disabled' },
    });
    assert.equal(dis.statusCode, 200, dis.body);
    assert.equal(dis.json().status, 'disabled');

    assert.equal((await me(cookie)).statusCode, 401, 'session revoked');
    assert.equal((await me(as(token))).statusCode, 401, 'token revoked');
    const denied = await login(user.email);
    assert.notEqual(denied.statusCode, 200);
    assert.ok([401, 403].includes(denied.statusCode), denied.body);
    assert.equal(denied.headers['set-cookie'], undefined);
    const dir = await t.app.inject({
      method: 'GET',
      url: '/api/v1/users/directory',
      headers: as(await org.token('agent')),
    });
    assert.ok(
      !dir.json().items.some((u: { id: string }) => u.id === user.id),
      'disabled users are not offered as owners',
    );

    const en = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      headers: as(admin),
      payload: { status: 'active' },
    });
    assert.equal(en.statusCode, 200, en.body);
    const again = await login(user.email);
    assert.equal(again.statusCode, 200, again.body);
    assert.equal((await me(as(token))).statusCode, 401, 'the old token stays revoked');
    assert.equal((await me(cookie)).statusCode, 401, 'the old session stays revoked');
  });

  it('an admin resetting a password ends the sessions; the old password stops working', async () => {
    const admin = await org.token('admin');
    const l = await login(org.users.finance.email);
    const cookie = { cookie: `kept_session=${l.cookies.find((c) => c.name === 'kept_session')!.value}` };
    assert.equal((await me(cookie)).statusCode, 200);
    const r = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${org.users.finance.id}`,
      headers: as(admin),
      payload: { password: 'a-brand-new-pass' },
    });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal((await me(cookie)).statusCode, 401);
    assert.equal((await login(org.users.finance.email)).statusCode, 401);
    assert.equal((await login(org.users.finance.email, 'a-brand-new-pass')).statusCode, 200);
  });
});
