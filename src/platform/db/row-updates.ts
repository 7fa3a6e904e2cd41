import type { Tx, WriteBuffer } from './db.ts';

type Image = Record<string, unknown> & { org_id: string; id: string };

/**
 * Updates of whole rows written at commit, one statement for all of them (e.g. the 200 SLA clocks a batch of
 * timers marks breached): the caller computes the row as it will be (`after`), audits it, and goes on. The last
 * image of a row wins. As for every write buffer, a statement of the transaction that names the table writes
 * them first, so the transaction reads its own updates.
 */
export function rowUpdates(table: string, columns: Array<[string, string]>): WriteBuffer<Image> {
  return {
    name: `${table} updates`,
    table,
    insert(rows, param) {
      const last = new Map<string, Image>();
      for (const r of rows) last.set(`${r.org_id}:${r.id}`, r);
      const images = [...last.values()];
      const all: Array<[string, string]> = [['org_id', 'uuid'], ['id', 'uuid'], ...columns];
      const arrays = all
        .map(([col, type]) => {
          const values = images.map((r) =>
            type === 'jsonb' && r[col] !== null && r[col] !== undefined ? JSON.stringify(r[col]) : r[col],
          );
          return `${param(values)}::${type}[]`;
        })
        .join(', ');
      return `UPDATE ${table} t SET ${columns.map(([col]) => `${col} = v.${col}`).join(', ')}
        FROM unnest(${arrays}) AS v(${all.map(([col]) => col).join(', ')})
        WHERE t.org_id = v.org_id AND t.id = v.id`;
    },
  };
}

/** Buffers the row's new image; returns it. */
export function bufferRowUpdate<T extends Image>(tx: Tx, buffer: WriteBuffer<Image>, after: T): T {
  tx.buffer(buffer).push(after);
  return after;
}
