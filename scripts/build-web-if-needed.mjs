#!/usr/bin/env node
// Builds web/dist when it is missing or older than web/src (run after `npm install` and before `npm start`).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const newest = (p) => {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...fs.readdirSync(p).map((e) => newest(path.join(p, e))));
};

const built = path.join('web', 'dist', 'index.html');
const sources = Math.max(
  newest(path.join('web', 'src')),
  newest(path.join('web', 'index.html')),
  newest(path.join('web', 'vite.config.ts')),
);
if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= sources) process.exit(0);
console.log('[kept] building the web app …');
const r = spawnSync('npm', ['run', '--silent', 'build:web'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
