import type { Tx } from './db.ts';

/**
 * Deletes every row of one organization, in an order that respects the foreign keys, read from the catalog:
 * each table that has org_id, children before parents. New tables are covered without a list to maintain.
 */
export async function deleteOrgData(tx: Tx, orgId: string): Promise<Record<string, number>> {
  const tables = (
    await tx.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.columns
       WHERE table_schema = 'public' AND column_name = 'org_id' ORDER BY table_name`,
    )
  ).rows.map((r) => r.table_name);
  const edges = (
    await tx.query<{ child: string; parent: string }>(
      `SELECT c.relname AS child, p.relname AS parent FROM pg_constraint con
       JOIN pg_class c ON c.oid = con.conrelid JOIN pg_class p ON p.oid = con.confrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
       WHERE con.contype = 'f' AND c.relname <> p.relname`,
    )
  ).rows;
  const order: string[] = [];
  const remaining = new Set(tables);
  while (remaining.size) {
    // A table can go once no remaining table still references it.
    const ready = [...remaining].filter(
      (t) => !edges.some((e) => e.parent === t && e.child !== t && remaining.has(e.child)),
    );
    if (!ready.length) throw new Error(`foreign keys form a cycle among: ${[...remaining].join(', ')}`);
    for (const t of ready.sort()) {
      order.push(t);
      remaining.delete(t);
    }
  }
  const counts: Record<string, number> = {};
  for (const t of order) counts[t] = (await tx.query(`DELETE FROM ${t} WHERE org_id = $1`, [orgId])).rowCount;
  return counts;
}
