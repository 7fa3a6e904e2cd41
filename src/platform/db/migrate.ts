import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db, Tx } from './db.ts';

export const MIGRATIONS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../migrations',
);

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/**
 * Applies the plain-SQL migrations in order, each in its own transaction, on PGlite and PostgreSQL alike.
 * A landed migration is never edited: a changed checksum stops the start with a clear message.
 * On PostgreSQL a transaction-level advisory lock keeps two starting processes from applying the same one.
 */
export async function migrate(db: Db, opts: { log?: (msg: string) => void } = {}): Promise<string[]> {
  const log = opts.log ?? (() => undefined);
  const lock = async (tx: Tx) => {
    if (db.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock(727001)');
  };
  await db.transaction(async (tx) => {
    await lock(tx);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  });
  const applied: string[] = [];
  for (const m of readMigrations()) {
    await db.transaction(async (tx) => {
      await lock(tx);
      const prev = (
        await tx.query<{ checksum: string }>('SELECT checksum FROM schema_migrations WHERE name = $1', [
          m.name,
        ])
      ).rows[0];
      if (prev) {
        if (prev.checksum !== m.checksum) {
          throw new Error(
            `Migration ${m.name} was changed after it was applied. Add a new migration instead.`,
          );
        }
        return;
      }
      log(`migrating: ${m.name}`);
      for (const stmt of splitSql(m.sql)) await tx.query(stmt);
      await tx.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [m.name, m.checksum]);
      applied.push(m.name);
    });
  }
  return applied;
}

/** Splits a migration into statements on semicolons at line ends, keeping $$-quoted bodies whole. */
export function splitSql(sql: string): string[] {
  const out: string[] = [];
  let buf = '';
  let inDollar = false;
  for (const line of sql.split('\n')) {
    const trimmed = line.trim();
    if (!inDollar && (trimmed.startsWith('--') || trimmed === '')) {
      if (buf) buf += '\n';
      continue;
    }
    const dollars = (line.match(/\$\$/g) ?? []).length;
    if (dollars % 2 === 1) inDollar = !inDollar;
    buf += `${line}\n`;
    if (!inDollar && trimmed.endsWith(';')) {
      out.push(buf.trim());
      buf = '';
    }
  }
  if (buf.trim()) out.push(buf.trim());
  return out;
}
