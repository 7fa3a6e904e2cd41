import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { cliEnv } from './cli-test-env.ts';

/**
 * The acceptance test of the import issue: kill -9 the process during a 20,000-row import, restart, re-run the
 * import — no duplicates, nothing lost, and the audit trail still verifies. Each batch (500 rows) commits the
 * customers, their audit events and the import's progress together, so the kill loses at most the batch in
 * flight, and the re-run upserts by mobile.
 */
const ROWS = 20_000;

test('kill -9 during a 20,000-row import, re-run: exactly 20,000 customers, audit verifies', {
  timeout: 15 * 60_000,
}, async () => {
  const cli = await cliEnv();
  try {
    const created = await cli.run([
      'org',
      'create',
      '--name',
      '崩溃测试',
      '--slug',
      'crash',
      '--admin-email',
      'a@crash.test',
      '--admin-password',
      'password123',
    ]);
    assert.equal(created.code, 0, created.stderr);
    const lines = ['姓名,手机,会员等级'];
    for (let i = 0; i < ROWS; i++) lines.push(`客户${i},1${3 + (i % 7)}${String(i).padStart(9, '0')},金卡`);
    const file = path.join(cli.dir, 'big.csv');
    fs.writeFileSync(file, lines.join('\n'));

    // First run: SIGKILL once two batches have been committed.
    const t0 = Date.now();
    const child = cli.spawn(['import', 'customers', file]);
    let committed = 0;
    let out = '';
    const exit = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('close', (_code, signal) => resolve(signal)),
    );
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const all = [...out.matchAll(/^progress (\d+)\//gm)];
      if (all.length) committed = Number(all[all.length - 1][1]);
      if (committed >= 1000 && !child.killed) child.kill('SIGKILL');
    });
    const signal = await exit;
    assert.equal(signal, 'SIGKILL', `the import ended before it was killed:\n${out}`);
    const killedAfter = (Date.now() - t0) / 1000;

    const before = await cli.query(
      async (q) => (await q.query<{ n: number }>('SELECT count(*)::int AS n FROM customers')).rows[0].n,
    );
    assert.ok(
      before >= committed && before < ROWS,
      `committed batches survive the kill (${before} rows, ${committed} reported)`,
    );

    // Second run, to the end.
    const t1 = Date.now();
    const r = await cli.run(['import', 'customers', file]);
    const secs = (Date.now() - t1) / 1000;
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const m = /done: created (\d+), updated (\d+) \((\d+) already up to date\), errors (\d+)/.exec(r.stdout);
    assert.ok(m, r.stdout);
    const [createdRows, updatedRows, unchanged, errors] = m.slice(1).map(Number);
    assert.equal(errors, 0);
    assert.equal(updatedRows, before, 'rows committed before the kill are matched, not created again');
    assert.equal(unchanged, before);
    assert.equal(createdRows + updatedRows, ROWS);

    const counts = await cli.query(
      async (q) =>
        (
          await q.query<{ n: number; mobiles: number; events: number }>(
            `SELECT count(*)::int AS n, count(DISTINCT mobile)::int AS mobiles,
             (SELECT count(*)::int FROM audit_events WHERE action = 'customer.create') AS events
           FROM customers WHERE status = 'active'`,
          )
        ).rows[0],
    );
    assert.deepEqual(counts, { n: ROWS, mobiles: ROWS, events: ROWS });

    const verify = await cli.run(['audit', 'verify']);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    assert.match(verify.stdout, /crash: OK/);
    console.log(
      `# crash test: killed after ${killedAfter.toFixed(1)} s with ${before} rows committed; ` +
        `re-run created ${createdRows} in ${secs.toFixed(1)} s (${Math.round(ROWS / secs)} rows/s over the file)`,
    );
  } finally {
    await cli.cleanup();
  }
});
