#!/usr/bin/env node
// After `npm install`: build the web app if needed and prepare the embedded database template.
import { spawnSync } from 'node:child_process';

for (const script of ['scripts/build-web-if-needed.mjs', 'scripts/pglite-template.mjs']) {
  const r = spawnSync(process.execPath, [script], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
