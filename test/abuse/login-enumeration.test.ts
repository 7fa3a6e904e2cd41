/**
 * Account enumeration through login: an unknown email, a wrong password and a locked account (even with the
 * right password) answer alike — same status, same body, no cookie — and take about as long (a password hash is
 * verified in every case), so nobody learns which emails exist or are locked.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { as, buildOrg, makeTestApp, PASSWORD, type TestApp, type TestOrg } from '../harness.ts';

const MAX_FAILURES = 3;
let t: TestApp;
let org: TestOrg;
let ipSeq = 0;
let locked: string;

function login(email: string, password: string, lang = 'en') {
  ipSeq++;
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress: `10.9.${Math.floor(ipSeq / 250)}.${ipSeq % 250}`,
    headers: { 'accept-language': lang },
    payload: { email, password },
  });
}

before(async () => {
  t = await makeTestApp({
    KEPT_LOGIN_MAX_FAILURES: String(MAX_FAILURES),
    KEPT_LOGIN_RATE_PER_MINUTE: '1000',
  });
  org = await buildOrg(t.services);
  locked = `locked@${org.slug}.test`;
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: as(await org.token('admin')),
    payload: { email: locked, name: 'locked', password: PASSWORD },
  });
  assert.equal(r.statusCode, 201, r.body);
  for (let i = 0; i < MAX_FAILURES; i++) await login(locked, 'wrong-password');
});
after(() => t.close());

describe('login answers the same for unknown, wrong and locked', () => {
  it('same status and body (in each language), no session cookie', async () => {
    for (const lang of ['zh-CN', 'en', 'es']) {
      const answers = {
        unknown: await login(`nobody@${org.slug}.test`, PASSWORD, lang),
        wrongPassword: await login(org.users.agent2.email, 'wrong-password', lang),
        lockedRightPassword: await login(locked, PASSWORD, lang),
        lockedWrongPassword: await login(locked, 'wrong-password', lang),
      };
      const ref = answers.unknown;
      assert.equal(ref.statusCode, 401);
      for (const [name, r] of Object.entries(answers)) {
        assert.equal(r.statusCode, ref.statusCode, `${lang} ${name}: ${r.body}`);
        assert.deepEqual(r.json(), ref.json(), `${lang} ${name}`);
        assert.equal(r.headers['set-cookie'], undefined, name);
      }
    }
  });

  it('a locked account costs a password hash like an unknown email (similar timing)', async () => {
    const median = async (fn: () => Promise<unknown>) => {
      const times: number[] = [];
      for (let i = 0; i < 7; i++) {
        const t0 = performance.now();
        await fn();
        times.push(performance.now() - t0);
      }
      return times.sort((a, b) => a - b)[3];
    };
    // Warm the dummy hash and the code paths.
    await login(`warm@${org.slug}.test`, PASSWORD);
    await login(locked, PASSWORD);
    const unknown = await median(() => login(`nobody2@${org.slug}.test`, PASSWORD));
    const lockedMs = await median(() => login(locked, PASSWORD));
    // Without the hash a locked account answers many times faster than an unknown email (no argon2 at all).
    assert.ok(
      lockedMs > unknown * 0.5 && lockedMs < unknown * 2.5,
      `locked ${lockedMs.toFixed(1)} ms vs unknown ${unknown.toFixed(1)} ms`,
    );
  });

  it('the lock still holds: the right password does not sign in until it passes', async () => {
    assert.equal((await login(locked, PASSWORD)).statusCode, 401);
    await t.db.query(
      `UPDATE users SET locked_until = now() - interval '1 second' WHERE org_id = $1 AND email = $2`,
      [org.orgId, locked],
    );
    assert.equal((await login(locked, PASSWORD)).statusCode, 200);
  });
});
