import type { Queryable } from '../../platform/db/db.ts';
import { fetchPage, type PageRequest, sortOf } from '../../platform/db/paging.ts';

export interface PromiseRow {
  org_id: string;
  id: string;
  what: string;
  customer_id: string | null;
  contact_id: string | null;
  to_text: string;
  promiser_id: string;
  due_at: Date;
  related_type: string | null;
  related_id: string | null;
  status: 'open' | 'kept' | 'broken' | 'cancelled';
  note: string | null;
  kept_at: Date | null;
  broken_at: Date | null;
  created_by: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export type PromiseValues = Pick<PromiseRow, 'what' | 'to_text' | 'due_at' | 'status' | 'note'>;

const PROMISES_SORT = sortOf('promises', [{ sql: 'p.due_at', type: 'timestamptz' }], 'p.id');

/** SQL of the promises table; no rules. */
export const promisesRepo = {
  async insert(
    q: Queryable,
    p: Omit<
      PromiseRow,
      'status' | 'note' | 'kept_at' | 'broken_at' | 'version' | 'created_at' | 'updated_at'
    >,
  ) {
    return (
      await q.query<PromiseRow>(
        `INSERT INTO promises (org_id, id, what, customer_id, contact_id, to_text, promiser_id, due_at, related_type, related_id, created_by)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING *`,
        [
          p.org_id,
          p.id,
          p.what,
          p.customer_id,
          p.contact_id,
          p.to_text,
          p.promiser_id,
          p.due_at,
          p.related_type,
          p.related_id,
          p.created_by,
        ],
      )
    ).rows[0];
  },
  async byId(q: Queryable, orgId: string, id: string, forUpdate = false) {
    return (
      await q.query<PromiseRow>(
        `SELECT * FROM promises WHERE org_id = $1 AND id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
        [orgId, id],
      )
    ).rows[0];
  },
  /** One page of promises, the soonest due first. */
  async list(
    q: Queryable,
    orgId: string,
    f: { promiserIds?: string[]; status?: string; customerId?: string },
    page: PageRequest,
  ) {
    const where = ['p.org_id = $1'];
    const params: unknown[] = [orgId];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.promiserIds) add('p.promiser_id = ANY(?::uuid[])', f.promiserIds);
    if (f.status) add('p.status = ?', f.status);
    if (f.customerId) add('p.customer_id = ?', f.customerId);
    return fetchPage<PromiseRow>(
      q,
      PROMISES_SORT,
      page,
      params,
      (k) =>
        `SELECT p.*, ${k.columns} FROM promises p WHERE ${where.join(' AND ')} AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
    );
  },
  async openOfRecord(
    q: Queryable,
    orgId: string,
    type: string,
    id: string,
    promiserIds: string[] | null,
    limit: number,
  ) {
    return (
      await q.query<PromiseRow>(
        `SELECT * FROM promises WHERE org_id = $1 AND status = 'open'
           AND ((related_type = $2 AND related_id = $3) OR ($2 = 'customer' AND customer_id = $3))
           AND ($4::uuid[] IS NULL OR promiser_id = ANY($4::uuid[]))
         ORDER BY due_at, id LIMIT $5`,
        [orgId, type, id, promiserIds, limit],
      )
    ).rows;
  },
  async update(q: Queryable, orgId: string, id: string, v: PromiseValues) {
    return (
      await q.query<PromiseRow>(
        `UPDATE promises SET what = $3, to_text = $4, due_at = $5, status = $6, note = $7,
           kept_at = CASE WHEN $6 = 'kept' AND status <> 'kept' THEN now() ELSE kept_at END,
           broken_at = CASE WHEN $6 = 'broken' AND status <> 'broken' THEN now() ELSE broken_at END,
           version = version + 1, updated_at = now()
         WHERE org_id = $1 AND id = $2 RETURNING *`,
        [orgId, id, v.what, v.to_text, v.due_at, v.status, v.note],
      )
    ).rows[0];
  },
};
