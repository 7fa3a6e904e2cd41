/**
 * `kept calendar` on a fresh data directory: a date question works before any organization exists (the
 * default calendar), and with one organization it uses that org's calendar without --org.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
let dir: string;

async function kept(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, KEPT_DATA_DIR: dir, KEPT_LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL; // always the embedded database in its own directory
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return stdout.trim();
}

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kept-cal-cli-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('kept calendar', () => {
  it('answers a date question before any organization exists', async () => {
    assert.equal(await kept('calendar', 'add', '--from', '2026-09-28', '--working-days', '10'), '2026-10-16');
  });

  it('uses the only organization by default', async () => {
    await kept('org', 'create', '--name', 'T', '--admin-email', 'a@t.test', '--admin-password', 'password-1');
    assert.equal(await kept('calendar', 'add', '--from', '2026-09-28', '--working-days', '10'), '2026-10-16');
    assert.equal(
      await kept('calendar', 'add', '--from', '2026-09-28T17:00:00+08:00', '--working-hours', '4'),
      '2026-09-29T12:00:00+08:00',
    );
    assert.equal(
      await kept(
        'calendar',
        'add',
        '--from',
        '2026-09-30T17:00:00+08:00',
        '--working-hours',
        '2',
        '--org',
        't',
      ),
      '2026-10-08T10:00:00+08:00',
    );
    const table = (await kept('calendar', 'days', '--from', '2026-09-25', '--to', '2026-10-12')).split('\n');
    assert.equal(table.length, 18);
    assert.match(table[0], /^2026-09-25 .*holiday.*中秋$/);
    assert.match(
      table.find((l) => l.startsWith('2026-10-10')) ?? '',
      /adjusted.*09:00-12:00, 13:30-18:00.*国庆节/,
    );
    assert.match(table.find((l) => l.startsWith('2026-10-11')) ?? '', /weekend/);
  });

  it('imports a year of official holidays from a CSV or ICS file; a bad line is named', async () => {
    const fixtures = path.resolve(import.meta.dirname, '../../../test/fixtures/holidays');
    assert.match(await kept('calendar', 'days', '--from', '2027-02-08', '--to', '2027-02-08'), /workday/);
    assert.equal(
      await kept('calendar', 'import-holidays', path.join(fixtures, '2027-sample.csv'), '--org', 't'),
      'imported 2027 for t: 10 holidays, 2 adjusted working days',
    );
    assert.match(
      await kept('calendar', 'days', '--from', '2027-02-08', '--to', '2027-02-08'),
      /holiday.*春节/,
    );
    assert.equal(
      await kept('calendar', 'import-holidays', path.join(fixtures, '2027-sample.ics')),
      'imported 2027 for t: 9 holidays, 1 adjusted working days (replaced 12 days imported before)',
    );
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'date,kind,name\n2028-01-01,holiday,元旦\n2028-13-01,holiday,x\n');
    await assert.rejects(
      kept('calendar', 'import-holidays', bad),
      /line 3: Line 3: "2028-13-01" is not a date/,
    );
  });

  it('rejects bad options with a message', async () => {
    await assert.rejects(
      kept('calendar', 'add', '--from', '2026-09-28'),
      /--working-days or --working-hours/,
    );
    await assert.rejects(
      kept('calendar', 'days', '--from', '2026-10-12', '--to', '2026-09-25'),
      /--to not before --from/,
    );
  });
});
