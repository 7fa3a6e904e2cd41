#!/usr/bin/env node
// Runs the test suite with node's test runner through tsx. `npm test` runs unit and API tests (PGlite by
// default; against PostgreSQL when DATABASE_URL is set); `npm run test:e2e` runs the browser tests.
// Prints the spec report, then one closing line "tests: N passed, N failed".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const e2e = process.argv[2] === 'e2e';
const roots = e2e ? ['test/e2e'] : ['src', 'test'];
const files = [];
const walk = (dir) => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!e2e && p === path.join('test', 'e2e')) continue;
      if (entry.name !== 'node_modules') walk(p);
    } else if (/\.test\.ts$/.test(entry.name)) files.push(p);
  }
};
for (const r of roots) if (fs.existsSync(r)) walk(r);
files.sort();
if (!files.length) {
  console.error('no test files found');
  process.exit(1);
}
const tap = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kept-test-')), 'report.tap');
const concurrency = process.env.KEPT_TEST_CONCURRENCY ?? '2';
const args = [
  '--import',
  'tsx',
  '--test',
  `--test-concurrency=${concurrency}`,
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  '--test-reporter=tap',
  `--test-reporter-destination=${tap}`,
  ...files,
];
const started = Date.now();
const r = spawnSync(process.execPath, args, {
  stdio: 'inherit',
  env: { ...process.env, KEPT_LOG_LEVEL: process.env.KEPT_LOG_LEVEL ?? 'silent' },
});
const report = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(report)?.[1] ?? 0);
const passed = count('pass');
const failed = count('fail') + count('cancelled');
const where = process.env.DATABASE_URL ? 'PostgreSQL' : e2e ? 'browser' : 'PGlite';
console.log(`\n[${where}] ${files.length} files in ${Math.round((Date.now() - started) / 1000)} s`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(r.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
