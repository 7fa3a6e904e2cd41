import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';

/**
 * The first-start experience, as a new user meets it: `kept serve` on an empty embedded database prints the
 * URL and the demo sign-ins, answers /healthz, and the demo agent sees their customers. Always on PGlite.
 */
const dirs: string[] = [];
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) c.kill('SIGKILL');
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function envFor(dir: string, extra: Record<string, string> = {}) {
  const env: Record<string, string | undefined> = {
    ...process.env,
    KEPT_DATA_DIR: dir,
    PORT: '0',
    KEPT_LOG_LEVEL: 'warn',
    KEPT_DEMO_PASSWORD: 'demo-pass-123',
    ...extra,
  };
  delete env.DATABASE_URL;
  return env;
}

function start(dir: string, extra: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    env: envFor(dir, extra),
  });
  children.push(child);
  let out = '';
  const started = Date.now();
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const waitFor = (re: RegExp, ms = 90_000) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const timer = setInterval(() => {
        const m = re.exec(out);
        if (m) {
          clearInterval(timer);
          resolve(m);
        } else if (Date.now() - started > ms || child.exitCode !== null) {
          clearInterval(timer);
          reject(new Error(`did not see ${re} in:\n${out}`));
        }
      }, 50);
    });
  return { child, output: () => out, waitFor, started };
}

async function login(base: string, email: string) {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'demo-pass-123' }),
  });
  assert.equal(r.status, 200);
  const cookie = r.headers.get('set-cookie')!.split(';')[0];
  return { cookie, body: (await r.json()) as { user: { id: string; teamIds: string[] } } };
}

describe('kept serve on an empty embedded database', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kept-serve-'));
  dirs.push(dir);

  test('prints the URL and demo logins, answers /healthz, and the demo agent sees their customers', async () => {
    const s = start(dir);
    const [, port] = await s.waitFor(/http:\/\/localhost:(\d+)\//);
    const base = `http://127.0.0.1:${port}`;
    const health = await fetch(`${base}/healthz`);
    assert.deepEqual(await health.json(), { status: 'ok' });
    console.log(`# /healthz answered ${Date.now() - s.started} ms after the process started`);
    for (const email of ['admin@demo.kept', 'supervisor@demo.kept', 'agent@demo.kept', 'agent2@demo.kept']) {
      assert.match(s.output(), new RegExp(email.replace('.', '\\.')));
    }
    assert.match(s.output(), /demo-pass-123/);
    await s.waitFor(/demo ready/);
    const agent = await login(base, 'agent@demo.kept');
    const list = (await (
      await fetch(`${base}/api/v1/customers?limit=200`, { headers: { cookie: agent.cookie } })
    ).json()) as {
      items: Array<{ ownerId: string | null; teamId: string | null; mobile: string | null }>;
      total: number;
    };
    assert.ok(list.total > 50, `agent sees their and their team's customers (${list.total})`);
    for (const c of list.items)
      assert.ok(c.ownerId === agent.body.user.id || agent.body.user.teamIds.includes(c.teamId ?? ''));
    assert.ok(
      list.items.some((c) => c.mobile && /^\d{3}\*{4}\d{4}$/.test(c.mobile)),
      'phones are masked for agents',
    );
    const admin = await login(base, 'admin@demo.kept');
    const all = (await (
      await fetch(`${base}/api/v1/customers?limit=1`, { headers: { cookie: admin.cookie } })
    ).json()) as { total: number };
    assert.equal(all.total, 200);
    const home = await fetch(`${base}/`);
    assert.equal(home.status === 200 || home.status === 404, true);

    // A second process on the same data directory is refused with a clear message.
    const second = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'audit', 'verify'], {
      env: envFor(dir),
      encoding: 'utf8',
    });
    assert.equal(second.status, 1);
    assert.match(second.stderr, /in use by process/);

    s.child.kill('SIGTERM');
    await new Promise((r) => s.child.once('exit', r));
    assert.equal(fs.existsSync(path.join(dir, 'kept.lock')), false, 'lock released on shutdown');
  });

  test('kept demo --reset recreates the demo organization; audit verify passes', () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
        env: envFor(dir),
        encoding: 'utf8',
      });
    const before = run('org', 'list');
    assert.equal(before.status, 0, before.stderr);
    const again = run('demo', '--customers', '20');
    assert.notEqual(again.status, 0, 'refuses to create a second demo');
    const reset = run('demo', '--reset', '--customers', '20');
    assert.equal(reset.status, 0, reset.stderr);
    const after = run('org', 'list');
    assert.notEqual(after.stdout.split('\t')[1], before.stdout.split('\t')[1], 'a new organization id');
    const verify = run('audit', 'verify');
    assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  });

  test('KEPT_DEMO=0 starts with no organization', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'kept-nodemo-'));
    dirs.push(empty);
    const s = start(empty, { KEPT_DEMO: '0' });
    await s.waitFor(/http:\/\/localhost:(\d+)\//);
    assert.doesNotMatch(s.output(), /demo\.kept/);
    s.child.kill('SIGTERM');
    await new Promise((r) => s.child.once('exit', r));
    const list = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'org', 'list'], {
      env: envFor(empty),
      encoding: 'utf8',
    });
    assert.equal(list.stdout.trim(), '');
  });
});
