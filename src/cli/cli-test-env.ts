import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Queryable } from '../platform/db/db.ts';
import { PGliteDb } from '../platform/db/pglite.ts';

/**
 * For tests that run the real `kept` command line: a fresh embedded data directory, or a fresh database on the
 * PostgreSQL server when DATABASE_URL is set, and helpers to run commands and to look at the data afterwards.
 */
export interface CliEnv {
  dir: string;
  env: NodeJS.ProcessEnv;
  run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }>;
  spawn(args: string[]): ChildProcess;
  /** Opens the database (only while no command runs: PGlite allows one process per directory). */
  query<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  cleanup(): Promise<void>;
}

const ROOT = path.resolve(import.meta.dirname, '../..');

export async function cliEnv(): Promise<CliEnv> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kept-cli-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KEPT_LOG_LEVEL: 'silent',
    KEPT_DEMO: '0',
    KEPT_DATA_DIR: path.join(dir, 'data'),
  };
  let dbUrl: string | undefined;
  let dbName: string | undefined;
  if (process.env.DATABASE_URL) {
    dbName = `kept_cli_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName} TEMPLATE template0 ENCODING 'UTF8'`);
    await admin.end();
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${dbName}`;
    dbUrl = url.toString();
    env.DATABASE_URL = dbUrl;
  } else {
    delete env.DATABASE_URL;
  }
  const spawnCli = (args: string[]) =>
    spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  return {
    dir,
    env,
    spawn: spawnCli,
    run: (args) =>
      new Promise((resolve, reject) => {
        const child = spawnCli(args);
        let stdout = '';
        let stderr = '';
        child.stdout?.on('data', (c) => (stdout += c));
        child.stderr?.on('data', (c) => (stderr += c));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      }),
    async query(fn) {
      if (dbUrl) {
        const c = new pg.Client({ connectionString: dbUrl });
        await c.connect();
        try {
          return await fn({
            query: async (sql, params) => {
              const r = await c.query(sql, params as unknown[]);
              return { rows: r.rows, rowCount: r.rowCount ?? 0 };
            },
          });
        } finally {
          await c.end();
        }
      }
      const db = await PGliteDb.open({ dataDir: env.KEPT_DATA_DIR });
      try {
        return await fn(db);
      } finally {
        await db.close();
      }
    },
    async cleanup() {
      fs.rmSync(dir, { recursive: true, force: true });
      if (dbName && process.env.DATABASE_URL) {
        const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
        await admin.end();
      }
    },
  };
}
