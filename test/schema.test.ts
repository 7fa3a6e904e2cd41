import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Db } from '../src/platform/db/db.ts';
import { testDb } from './harness.ts';

/**
 * The tenancy rules of the schema, checked against the live catalog: every table carries org_id, its primary
 * key starts with org_id ((org_id, id) where it has an id), and every foreign key includes org_id on both sides.
 * A future migration that breaks this fails here.
 */
let db: Db;
let close: () => Promise<void>;
before(async () => ({ db, close } = await testDb()));
after(() => close());

const SKIP = new Set(['schema_migrations']);

test('every table has org_id and a primary key that starts with it', async () => {
  const tables = (
    await db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
    )
  ).rows
    .map((r) => r.table_name)
    .filter((t) => !SKIP.has(t));
  assert.ok(
    tables.includes('customers') && tables.includes('audit_events'),
    'sanity: the catalog query sees our tables',
  );
  const problems: string[] = [];
  for (const table of tables) {
    const cols = (
      await db.query<{ column_name: string }>(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1",
        [table],
      )
    ).rows.map((r) => r.column_name);
    if (!cols.includes('org_id')) problems.push(`${table}: no org_id`);
    const pk = (
      await db.query<{ attname: string }>(
        `SELECT a.attname FROM pg_index i
         JOIN pg_class c ON c.oid = i.indrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
         JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
       WHERE c.relname = $1 AND i.indisprimary ORDER BY k.ord`,
        [table],
      )
    ).rows.map((r) => r.attname);
    if (pk[0] !== 'org_id')
      problems.push(`${table}: primary key (${pk.join(', ')}) does not start with org_id`);
    if (cols.includes('id') && table !== 'orgs' && pk.join(',') !== 'org_id,id')
      problems.push(`${table}: primary key is (${pk.join(', ')}), not (org_id, id)`);
  }
  assert.deepEqual(problems, []);
});

test('every foreign key includes org_id on both sides', async () => {
  const fks = (
    await db.query<{ table_name: string; conname: string; cols: string[]; refcols: string[] }>(
      `SELECT c.relname AS table_name, con.conname,
         ARRAY(SELECT a.attname FROM unnest(con.conkey) k JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k) AS cols,
         ARRAY(SELECT a.attname FROM unnest(con.confkey) k JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k) AS refcols
       FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
       WHERE con.contype = 'f'`,
    )
  ).rows;
  assert.ok(fks.length > 10, 'sanity: foreign keys are found');
  const bad = fks
    .filter((f) => !f.cols.includes('org_id') || !f.refcols.includes('org_id'))
    .map((f) => `${f.table_name}.${f.conname}`);
  assert.deepEqual(bad, []);
});
