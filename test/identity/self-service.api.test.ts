/**
 * Self-service (issue 7, points 15 and 16): a user's language is saved on them (first from the browser's
 * Accept-Language at their first login, then from their own settings) and server messages follow it; a user
 * changes their own password with the current one, under the policy, ending their other sessions, audited.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyAudit } from '../../src/platform/audit/audit.ts';
import { as, buildOrg, makeTestApp, PASSWORD, type TestApp, type TestOrg } from '../harness.ts';

let t: TestApp;
let org: TestOrg;
let ipSeq = 0;

before(async () => {
  t = await makeTestApp({ KEPT_LOGIN_RATE_PER_MINUTE: '1000' });
  org = await buildOrg(t.services);
});
after(() => t.close());

async function login(email: string, password = PASSWORD, lang?: string) {
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress: `10.9.0.${++ipSeq}`,
    headers: lang ? { 'accept-language': lang } : {},
    payload: { email, password },
  });
  const cookie = r.cookies.find((c) => c.name === 'kept_session');
  const body = r.json();
  const headers: Record<string, string> = cookie
    ? { cookie: `kept_session=${cookie.value}`, 'x-csrf-token': body.csrfToken }
    : {};
  return { status: r.statusCode, body, headers };
}

async function newUser(local: string) {
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: as(await org.token('admin')),
    payload: { email: `${local}@${org.slug}.test`, name: local, password: PASSWORD, roleKey: 'agent' },
  });
  assert.equal(r.statusCode, 201, r.body);
  return r.json() as { id: string; email: string; locale: string | null };
}

describe('language per user', () => {
  it('the first login saves the browser language; later logins and requests keep the saved one', async () => {
    const u = await newUser('lang-es');
    assert.equal(u.locale, null);
    const first = await login(u.email, PASSWORD, 'es-MX,es;q=0.9,en;q=0.5');
    assert.equal(first.status, 200);
    assert.equal(first.body.user.locale, 'es');
    // A later login from an English browser does not overwrite the saved language.
    const second = await login(u.email, PASSWORD, 'en-US');
    assert.equal(second.body.user.locale, 'es');
    // A 422 answers in the saved language even though the browser asks for English.
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: { ...second.headers, 'accept-language': 'en' },
      payload: { name: 'x', mobile: '123' },
    });
    assert.equal(bad.statusCode, 422);
    assert.equal(bad.json().error.message, 'Hay campos no válidos; revíselos');
  });

  it('without Accept-Language the first login saves zh-CN', async () => {
    const u = await newUser('lang-none');
    const r = await login(u.email);
    assert.equal(r.body.user.locale, 'zh-CN');
  });

  it('PATCH /auth/me changes the language; 422 messages follow it', async () => {
    const u = await newUser('lang-switch');
    const s = await login(u.email, PASSWORD, 'zh-CN');
    const patch = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/auth/me',
      headers: s.headers,
      payload: { locale: 'en' },
    });
    assert.equal(patch.statusCode, 200, patch.body);
    assert.equal(patch.json().user.locale, 'en');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: { ...s.headers, 'accept-language': 'zh-CN' },
      payload: { currentPassword: 'not-my-password', newPassword: 'a-new-password-1' },
    });
    assert.equal(wrong.statusCode, 422);
    assert.equal(wrong.json().error.fields.currentPassword, 'Current password is wrong');
    // An unsupported language is refused, naming the field.
    const bad = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/auth/me',
      headers: s.headers,
      payload: { locale: 'fr' },
    });
    assert.equal(bad.statusCode, 422);
    assert.ok(bad.json().error.fields.locale);
    // The change is audited.
    const audit = await t.app.inject({
      method: 'GET',
      url: `/api/v1/audit-events?entityType=user&entityId=${u.id}`,
      headers: as(await org.token('admin')),
    });
    assert.ok(
      audit.json().items.some((e: { action: string }) => e.action === 'user.update_self'),
      audit.body,
    );
  });

  it('an admin sets a user language (PATCH /users/{id}); messages to that user follow it', async () => {
    const u = await newUser('lang-admin');
    const set = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${u.id}`,
      headers: as(await org.token('admin')),
      payload: { locale: 'es' },
    });
    assert.equal(set.statusCode, 200, set.body);
    const s = await login(u.email, PASSWORD, 'en');
    assert.equal(s.body.user.locale, 'es');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: s.headers,
      payload: { currentPassword: 'nope-nope', newPassword: 'a-new-password-1' },
    });
    assert.equal(wrong.json().error.fields.currentPassword, 'La contraseña actual no es correcta');
  });
});

describe('change own password', () => {
  it('needs the current password, checks the policy, ends the other sessions only, and is audited', async () => {
    const u = await newUser('pw-change');
    const a = await login(u.email, PASSWORD, 'en');
    const b = await login(u.email, PASSWORD, 'en');
    const me = (h: Record<string, string>) =>
      t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: h });
    assert.equal((await me(b.headers)).statusCode, 200);

    const change = (payload: object, headers: Record<string, string> = a.headers) =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers, payload });
    // policy: too short, one repeated character, the email, the same as now
    const short = await change({ currentPassword: PASSWORD, newPassword: 'short' });
    assert.equal(short.statusCode, 422);
    assert.match(short.json().error.fields.newPassword, /8/);
    const repeated = await change({ currentPassword: PASSWORD, newPassword: 'aaaaaaaaaa' });
    assert.equal(repeated.json().error.fields.newPassword, 'Password must not be one character repeated');
    const email = await change({ currentPassword: PASSWORD, newPassword: u.email.toUpperCase() });
    assert.equal(email.json().error.fields.newPassword, 'Password must not be your email');
    const same = await change({ currentPassword: PASSWORD, newPassword: PASSWORD });
    assert.equal(same.statusCode, 422);
    assert.ok(same.json().error.fields.newPassword);
    // nothing changed so far: session b still works
    assert.equal((await me(b.headers)).statusCode, 200);
    // without the CSRF token a session cannot change it
    const noCsrf = await change(
      { currentPassword: PASSWORD, newPassword: 'brand-new-secret-7' },
      { cookie: a.headers.cookie },
    );
    assert.equal(noCsrf.statusCode, 403);

    const ok = await change({ currentPassword: PASSWORD, newPassword: 'brand-new-secret-7' });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().otherSessionsRevoked, 1);
    assert.equal((await me(a.headers)).statusCode, 200, 'the session that changed it stays signed in');
    assert.equal((await me(b.headers)).statusCode, 401, 'the other session ends');
    assert.equal((await login(u.email, PASSWORD)).status, 401, 'the old password no longer works');
    assert.equal((await login(u.email, 'brand-new-secret-7')).status, 200);

    const audit = await t.app.inject({
      method: 'GET',
      url: `/api/v1/audit-events?entityType=user&entityId=${u.id}`,
      headers: as(await org.token('admin')),
    });
    const ev = audit.json().items.find((e: { action: string }) => e.action === 'user.password_change');
    assert.ok(ev, audit.body);
    assert.doesNotMatch(JSON.stringify(ev), /brand-new-secret|argon2/);
  });

  it('every change above (first-login language, own settings, password) leaves the audit chain verifiable', async () => {
    const report = await verifyAudit(t.db, org.orgId);
    assert.equal(report.ok, true, JSON.stringify(report.firstProblem));
  });

  it('anonymous callers get 401', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { currentPassword: 'x', newPassword: 'yyyyyyyyyy' },
    });
    assert.equal(r.statusCode, 401);
  });
});
