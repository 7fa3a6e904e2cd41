#!/usr/bin/env node
// Runs the test suite with node's test runner through tsx. `npm test` runs unit and API tests (PGlite by
// default; against PostgreSQL when DATABASE_URL is set); `npm run test:e2e` runs the browser tests.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
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
const concurrency = process.env.KEPT_TEST_CONCURRENCY ?? '2';
const args = ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files];
const r = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...process.env, KEPT_LOG_LEVEL: process.env.KEPT_LOG_LEVEL ?? 'silent' } });
process.exit(r.status ?? 1);
