/**
 * Password login: the session cookie, localized 401s that do not reveal which emails exist (or are locked), the per-account
 * lockout after KEPT_LOGIN_MAX_FAILURES failures and the per-IP rate limit (KEPT_LOGIN_RATE_PER_MINUTE).
 * Each test logs in from its own remote address so that the rate limit of one test never leaks into another.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { as, buildOrg, makeTestApp, PASSWORD, type TestApp, type TestOrg } from '../harness.ts';

const MAX_FAILURES = 3;
const RATE = 5;

let t: TestApp;
let org: TestOrg;
let ipSeq = 0;
const freshIp = () => `10.0.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;

function login(email: string, password: string, opts: { ip?: string; lang?: string } = {}) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress: opts.ip ?? freshIp(),
    headers: opts.lang ? { 'accept-language': opts.lang } : {},
    payload: { email, password },
  });
}

async function newUser(local: string, password = PASSWORD) {
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: as(await org.token('admin')),
    payload: { email: `${local}@${org.slug}.test`, name: local, password, roleKey: 'agent' },
  });
  assert.equal(r.statusCode, 201, r.body);
  return r.json() as { id: string; email: string };
}

before(async () => {
  t = await makeTestApp({
    KEPT_LOGIN_MAX_FAILURES: String(MAX_FAILURES),
    KEPT_LOGIN_RATE_PER_MINUTE: String(RATE),
  });
  org = await buildOrg(t.services);
});
after(() => t.close());

describe('POST /api/v1/auth/login', () => {
  it('returns user, org and a CSRF token, and sets an httpOnly SameSite session cookie', async () => {
    const r = await login(org.users.agent.email, PASSWORD);
    assert.equal(r.statusCode, 200, r.body);
    const body = r.json();
    assert.equal(body.user.id, org.users.agent.id);
    assert.equal(body.user.email, org.users.agent.email);
    assert.equal(body.user.roleKey, 'agent');
    assert.ok(body.user.permissions.includes('customer.read'));
    assert.deepEqual(body.user.teamIds, [org.teamId]);
    assert.equal(body.org.id, org.orgId);
    assert.equal(typeof body.csrfToken, 'string');
    assert.ok(body.csrfToken.length >= 16);
    assert.ok(!r.body.includes('password'), 'no password material in the response');

    const setCookie = [r.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('kept_session='));
    assert.ok(setCookie, 'kept_session cookie is set');
    const value = setCookie.split(';')[0].slice('kept_session='.length);
    assert.ok(value.length >= 20);
    assert.match(setCookie, /;\s*HttpOnly/i);
    assert.match(setCookie, /;\s*SameSite=(Lax|Strict)/i);
    assert.match(setCookie, /;\s*Path=\//);
    assert.notEqual(value, body.csrfToken, 'the CSRF token is not the session secret');
  });

  it('accepts the email in any case and with surrounding spaces', async () => {
    const r = await login(`  ${org.users.supervisor.email.toUpperCase()} `, PASSWORD);
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().user.id, org.users.supervisor.id);
  });

  it('wrong password: 401 invalid_credentials in the Accept-Language language (zh-CN by default), no cookie', async () => {
    const messages: Record<string, string> = {};
    for (const lang of [undefined, 'zh-CN', 'en-US,en;q=0.9', 'es']) {
      const r = await login(org.users.manager.email, 'wrong-password', { lang });
      assert.equal(r.statusCode, 401, r.body);
      assert.equal(r.headers['set-cookie'], undefined);
      const body = r.json();
      assert.deepEqual(Object.keys(body), ['error']);
      assert.equal(body.error.code, 'invalid_credentials');
      assert.equal(typeof body.error.message, 'string');
      assert.ok(body.error.message.trim().length > 0);
      messages[lang ?? 'default'] = body.error.message;
      // A successful login resets the failure counter, so this loop never reaches the lockout.
      assert.equal((await login(org.users.manager.email, PASSWORD)).statusCode, 200);
    }
    assert.equal(messages.default, messages['zh-CN'], 'zh-CN is the default language');
    assert.match(messages['zh-CN'], /[\u4e00-\u9fff]/, 'the default message is Chinese');
    assert.equal(
      new Set([messages['zh-CN'], messages['en-US,en;q=0.9'], messages.es]).size,
      3,
      'zh-CN, en and es differ',
    );
  });

  it('unknown email: the same 401 as a wrong password, so emails cannot be probed', async () => {
    for (const lang of ['zh-CN', 'en', 'es']) {
      const unknown = await login(`nobody-${lang}@${org.slug}.test`, PASSWORD, { lang });
      const wrong = await login(org.users.finance.email, 'wrong-password', { lang });
      assert.equal(unknown.statusCode, 401);
      assert.deepEqual(unknown.json(), wrong.json());
      assert.equal((await login(org.users.finance.email, PASSWORD)).statusCode, 200);
    }
  });

  it('rejects an empty body or missing password with 422, not 500', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: freshIp(),
      payload: { email: org.users.agent.email },
    });
    assert.equal(r.statusCode, 422, r.body);
    assert.equal(r.json().error.code, 'validation');
    assert.ok(r.json().error.fields.password);
  });
});

describe('account lockout', () => {
  it(`locks the account after ${MAX_FAILURES} failures: refused even with the right password, answered like a wrong one`, async () => {
    const u = await newUser('lockme');
    for (let i = 0; i < MAX_FAILURES; i++) {
      const r = await login(u.email, 'wrong-password');
      assert.equal(r.statusCode, 401, `attempt ${i + 1}: ${r.body}`);
    }

    // Locked: the right password does not sign in, and the answer does not say "locked" (test/abuse/login-enumeration).
    const r = await login(u.email, PASSWORD, { lang: 'en' });
    assert.equal(r.statusCode, 401, r.body);
    assert.equal(r.json().error.code, 'invalid_credentials');
    assert.match(
      r.json().error.message,
      /locked for a while/,
      'the one message for every failure mentions locking',
    );
    assert.equal(r.headers['set-cookie'], undefined);

    // Other accounts are not affected.
    assert.equal((await login(org.users.agent2.email, PASSWORD)).statusCode, 200);
  });

  it('the lock is temporary, and a successful login resets the failure count', async () => {
    const u = await newUser('unlockme');
    for (let i = 0; i < MAX_FAILURES; i++) await login(u.email, 'wrong-password');
    assert.equal((await login(u.email, PASSWORD)).statusCode, 401);
    // The lock period passes.
    await t.db.query(
      `UPDATE users SET locked_until = now() - interval '1 second' WHERE org_id = $1 AND id = $2`,
      [org.orgId, u.id],
    );
    assert.equal((await login(u.email, PASSWORD)).statusCode, 200);
    // The counter starts again from zero: MAX_FAILURES - 1 failures do not lock.
    for (let i = 0; i < MAX_FAILURES - 1; i++)
      assert.equal((await login(u.email, 'wrong-password')).statusCode, 401);
    assert.equal((await login(u.email, PASSWORD)).statusCode, 200);
  });

  it('logging in to one org does not count as a failure for the same email in another org', async () => {
    const other = await buildOrg(t.services);
    const email = `shared-${org.slug}@example.test`;
    for (const [o, pw] of [
      [org, 'password-of-org-a'],
      [other, 'password-of-org-b'],
    ] as const) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: as(await o.token('admin')),
        payload: { email, name: 'shared', password: pw },
      });
      assert.equal(r.statusCode, 201, r.body);
    }
    for (let i = 0; i < MAX_FAILURES; i++) {
      const a = await login(email, 'password-of-org-a');
      assert.equal(a.statusCode, 200, a.body);
      assert.equal(a.json().org.id, org.orgId);
    }
    for (let i = 0; i < MAX_FAILURES; i++) {
      const b = await login(email, 'password-of-org-b');
      assert.equal(b.statusCode, 200, b.body);
      assert.equal(b.json().org.id, other.orgId);
    }
    assert.equal((await login(email, 'password-of-org-a')).statusCode, 200);
  });
});

describe('login rate limit per IP', () => {
  it(`the ${RATE + 1}th login from one IP within a minute gets 429 rate_limited; other IPs are unaffected`, async () => {
    const ip = freshIp();
    for (let i = 0; i < RATE; i++) {
      const r = await login(`nobody${i}@${org.slug}.test`, 'whatever-pw', { ip });
      assert.equal(r.statusCode, 401, `request ${i + 1}: ${r.body}`);
    }
    const limited = await login(org.users.admin.email, PASSWORD, { ip, lang: 'es' });
    assert.equal(limited.statusCode, 429, limited.body);
    assert.deepEqual(Object.keys(limited.json().error).sort(), ['code', 'message']);
    assert.equal(limited.json().error.code, 'rate_limited');
    assert.ok(limited.json().error.message.length > 0);
    assert.equal(limited.headers['set-cookie'], undefined, 'no session even with the right password');

    assert.equal((await login(org.users.admin.email, PASSWORD)).statusCode, 200, 'another IP still logs in');
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      remoteAddress: ip,
      headers: as(await org.token('admin')),
    });
    assert.equal(me.statusCode, 200, 'only login is limited');
  });

  it('a client cannot escape the limit by sending its own X-Forwarded-For', async () => {
    const ip = freshIp();
    for (let i = 0; i < RATE; i++) await login(`x${i}@${org.slug}.test`, 'whatever-pw', { ip });
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: ip,
      headers: { 'x-forwarded-for': '203.0.113.77' },
      payload: { email: `y@${org.slug}.test`, password: 'whatever-pw' },
    });
    assert.equal(r.statusCode, 429);
  });
});
