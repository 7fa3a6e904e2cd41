/**
 * Session-cookie authentication: /auth/me with the cookie, the CSRF header required on cookie-authenticated
 * writes (not on Bearer-token requests), and logout ending the session.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { as, buildOrg, makeTestApp, PASSWORD, type TestApp, type TestOrg } from '../harness.ts';

let t: TestApp;
let org: TestOrg;
let ipSeq = 0;

interface Session {
  cookie: string;
  csrf: string;
}

async function loginAs(email: string): Promise<Session> {
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress: `10.9.0.${++ipSeq}`,
    payload: { email, password: PASSWORD },
  });
  assert.equal(r.statusCode, 200, r.body);
  const c = r.cookies.find((x) => x.name === 'kept_session');
  assert.ok(c);
  return { cookie: c.value, csrf: r.json().csrfToken };
}

const cookieHeader = (s: Session, extra: Record<string, string> = {}) => ({
  cookie: `kept_session=${s.cookie}`,
  ...extra,
});

async function customerCount(name: string) {
  const r = await t.app.inject({
    method: 'GET',
    url: `/api/v1/customers?q=${encodeURIComponent(name)}`,
    headers: as(await org.token('admin')),
  });
  assert.equal(r.statusCode, 200, r.body);
  return (r.json().items as { name: string }[]).filter((c) => c.name === name).length;
}

before(async () => {
  t = await makeTestApp({ KEPT_LOGIN_RATE_PER_MINUTE: '1000' });
  org = await buildOrg(t.services);
});
after(() => t.close());

describe('session cookie', () => {
  it('GET /auth/me works with the cookie and returns the same CSRF token as login', async () => {
    const s = await loginAs(org.users.agent.email);
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: cookieHeader(s) });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().user.id, org.users.agent.id);
    assert.equal(r.json().org.id, org.orgId);
    assert.equal(r.json().csrfToken, s.csrf);
  });

  it('without cookie or token: 401 unauthenticated; a made-up cookie: 401', async () => {
    for (const headers of [{}, { cookie: 'kept_session=not-a-real-session' }]) {
      const r = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers });
      assert.equal(r.statusCode, 401, r.body);
      assert.deepEqual(r.json().error.code, 'unauthenticated');
    }
  });

  it('a cookie-authenticated write needs X-CSRF-Token: missing or wrong → 403 csrf and nothing is written', async () => {
    const s = await loginAs(org.users.agent.email);
    const name = `CSRF 客户 ${ipSeq}`;
    const missing = await t.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: cookieHeader(s, { 'accept-language': 'en' }),
      payload: { name },
    });
    assert.equal(missing.statusCode, 403, missing.body);
    assert.equal(missing.json().error.code, 'csrf');
    assert.match(missing.json().error.message, /CSRF/);

    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: cookieHeader(s, { 'x-csrf-token': `${s.csrf}x` }),
      payload: { name },
    });
    assert.equal(wrong.statusCode, 403);
    assert.equal(wrong.json().error.code, 'csrf');

    assert.equal(await customerCount(name), 0);

    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: cookieHeader(s, { 'x-csrf-token': s.csrf }),
      payload: { name },
    });
    assert.equal(ok.statusCode, 201, ok.body);
    assert.equal(ok.json().name, name);
    assert.equal(await customerCount(name), 1);
  });

  it("another session's CSRF token does not pass", async () => {
    const mine = await loginAs(org.users.agent.email);
    const other = await loginAs(org.users.agent.email);
    assert.notEqual(mine.csrf, other.csrf);
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: cookieHeader(mine, { 'x-csrf-token': other.csrf }),
      payload: { name: 'x' },
    });
    assert.equal(r.statusCode, 403);
    assert.equal(r.json().error.code, 'csrf');
  });

  it('Bearer-token writes need no CSRF token', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: as(await org.token('agent')),
      payload: { name: `Bearer 客户 ${ipSeq}` },
    });
    assert.equal(r.statusCode, 201, r.body);
  });
});

describe('logout', () => {
  it('needs the CSRF token too (a foreign page cannot sign you out)', async () => {
    const s = await loginAs(org.users.supervisor.email);
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: cookieHeader(s) });
    assert.equal(r.statusCode, 403);
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: cookieHeader(s) })).statusCode,
      200,
    );
  });

  it('→ 204, clears the cookie, and the old cookie no longer works; other sessions stay signed in', async () => {
    const s = await loginAs(org.users.supervisor.email);
    const other = await loginAs(org.users.supervisor.email);
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: cookieHeader(s, { 'x-csrf-token': s.csrf }),
    });
    assert.equal(r.statusCode, 204, r.body);
    const cleared = r.cookies.find((c) => c.name === 'kept_session');
    assert.ok(cleared, 'logout sends a Set-Cookie for kept_session');
    assert.ok(
      cleared.value === '' ||
        (cleared.expires && cleared.expires.getTime() <= Date.now()) ||
        cleared.maxAge === 0,
    );

    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: cookieHeader(s) });
    assert.equal(me.statusCode, 401);
    assert.equal(me.json().error.code, 'unauthenticated');
    const write = await t.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: cookieHeader(s, { 'x-csrf-token': s.csrf }),
      payload: { name: 'after logout' },
    });
    assert.equal(write.statusCode, 401);

    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: cookieHeader(other) }))
        .statusCode,
      200,
    );
  });
});
