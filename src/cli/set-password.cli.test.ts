/**
 * `kept user set-password --org SLUG --email E`: the new password comes from stdin (--password-stdin, or any
 * stdin that is not a terminal), the policy applies, the user's sessions end and the change is audited.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { verifyPassword } from '../platform/auth/crypto.ts';
import { type CliEnv, cliEnv } from './cli-test-env.ts';

let cli: CliEnv;

function runWithStdin(args: string[], input: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: cli.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const hashOf = (email: string) =>
  cli.query(async (q) => {
    const r = await q.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE email = $1', [
      email,
    ]);
    return r.rows[0].password_hash;
  });

before(async () => {
  cli = await cliEnv();
  const r = await cli.run([
    'org',
    'create',
    '--name',
    'Acme',
    '--slug',
    'acme',
    '--admin-email',
    'boss@acme.test',
    '--admin-password',
    'first-password-1',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const u = await cli.run([
    'user',
    'add',
    '--org',
    'acme',
    '--email',
    'ann@acme.test',
    '--password',
    'ann-password-1',
  ]);
  assert.equal(u.code, 0, u.stderr);
});
after(() => cli.cleanup());

describe('kept user set-password', () => {
  it('reads the new password from stdin, ends the sessions and audits the change', async () => {
    // a session of Ann's, to see it end
    await cli.query((q) =>
      q.query(
        `INSERT INTO sessions (org_id, id, user_id, token_hash, csrf_token, expires_at)
         SELECT org_id, gen_random_uuid(), id, 'h-ann', 'c', now() + interval '1 day' FROM users WHERE email = $1`,
        ['ann@acme.test'],
      ),
    );
    const r = await runWithStdin(
      ['user', 'set-password', '--org', 'acme', '--email', 'ANN@acme.test', '--password-stdin'],
      'a-brand-new-one-9\n',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /ann@acme\.test.*1 session/);
    assert.ok(await verifyPassword(await hashOf('ann@acme.test'), 'a-brand-new-one-9'));
    const facts = await cli.query(async (q) => ({
      open: (await q.query('SELECT 1 FROM sessions WHERE revoked_at IS NULL')).rowCount,
      audit: (await q.query(`SELECT meta FROM audit_events WHERE action = 'user.password_set'`)).rows,
    }));
    assert.equal(facts.open, 0);
    assert.equal(facts.audit.length, 1);
    assert.doesNotMatch(JSON.stringify(facts.audit), /brand-new/);
  });

  it('piped stdin works without the flag', async () => {
    const r = await runWithStdin(['user', 'set-password', '--email', 'boss@acme.test'], 'second-password-2');
    assert.equal(r.code, 0, r.stderr);
    assert.ok(await verifyPassword(await hashOf('boss@acme.test'), 'second-password-2'));
  });

  it('refuses a password that breaks the policy, and an unknown user, changing nothing', async () => {
    const before = await hashOf('ann@acme.test');
    const weak = await runWithStdin(
      ['user', 'set-password', '--email', 'ann@acme.test', '--password-stdin'],
      'short\n',
    );
    assert.equal(weak.code, 1);
    assert.match(weak.stderr, /password: Password needs at least 8 characters/);
    const mail = await runWithStdin(['user', 'set-password', '--email', 'ann@acme.test'], 'ann@acme.test\n');
    assert.match(mail.stderr, /must not be your email/);
    const nobody = await runWithStdin(
      ['user', 'set-password', '--email', 'nobody@acme.test'],
      'whatever-123\n',
    );
    assert.equal(nobody.code, 1);
    assert.match(nobody.stderr, /No user nobody@acme\.test in acme/);
    assert.equal(await hashOf('ann@acme.test'), before);
  });
});
