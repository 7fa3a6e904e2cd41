import type { Queryable } from '../../platform/db/db.ts';
import { fetchPage, type PageRequest, sortOf } from '../../platform/db/paging.ts';

export interface ContactRow {
  org_id: string;
  id: string;
  customer_id: string;
  name: string;
  position: string | null;
  mobile: string | null;
  email: string | null;
  phone: string | null;
  gender: 'male' | 'female' | 'other' | null;
  birthday: string | null;
  is_primary: boolean;
  notes: string | null;
  custom: Record<string, unknown>;
  status: 'active' | 'deleted';
  version: number;
  created_at: Date;
  updated_at: Date;
}

const CONTACTS_SORT = sortOf(
  'contacts',
  [
    { sql: 'c.is_primary', type: 'bool', desc: true },
    { sql: 'c.created_at', type: 'timestamptz' },
  ],
  'c.id',
);

export const contactsRepo = {
  async activeById(q: Queryable, orgId: string, id: string) {
    return (
      await q.query<ContactRow>(
        "SELECT * FROM contacts WHERE org_id = $1 AND id = $2 AND status = 'active'",
        [orgId, id],
      )
    ).rows[0];
  },
  /** Whether the contact (any status) belongs to the customer. */
  async isOfCustomer(q: Queryable, orgId: string, id: string, customerId: string) {
    return (
      await q.query('SELECT 1 FROM contacts WHERE org_id = $1 AND id = $2 AND customer_id = $3', [
        orgId,
        id,
        customerId,
      ])
    ).rowCount;
  },
  /** One page of a customer's active contacts: the primary first, then by creation. */
  async activePage(q: Queryable, orgId: string, customerId: string, page: PageRequest) {
    return fetchPage<ContactRow>(
      q,
      CONTACTS_SORT,
      page,
      [orgId, customerId],
      (k) =>
        `SELECT c.*, ${k.columns} FROM contacts c WHERE c.org_id = $1 AND c.customer_id = $2 AND c.status = 'active'
           AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
    );
  },
  /** Inserts a contact with the given columns (values already prepared: `custom` as JSON text). */
  async insert(q: Queryable, orgId: string, id: string, customerId: string, values: Record<string, unknown>) {
    const cols = Object.keys(values);
    return (
      await q.query<ContactRow>(
        `INSERT INTO contacts (org_id, id, customer_id, ${cols.join(', ')}) VALUES ($1, $2, $3, ${cols.map((_, i) => `$${i + 4}`).join(', ')}) RETURNING *`,
        [orgId, id, customerId, ...cols.map((c) => values[c])],
      )
    ).rows[0];
  },
  /** Sets the given columns (values already prepared) and bumps the version. */
  async update(q: Queryable, orgId: string, id: string, values: Record<string, unknown>) {
    const cols = Object.keys(values);
    const sets = [...cols.map((c, i) => `${c} = $${i + 3}`), 'version = version + 1', 'updated_at = now()'];
    return (
      await q.query<ContactRow>(
        `UPDATE contacts SET ${sets.join(', ')} WHERE org_id = $1 AND id = $2 RETURNING *`,
        [orgId, id, ...cols.map((c) => values[c])],
      )
    ).rows[0];
  },
  async markDeleted(q: Queryable, orgId: string, id: string) {
    return (
      await q.query<ContactRow>(
        "UPDATE contacts SET status = 'deleted', version = version + 1, updated_at = now() WHERE org_id = $1 AND id = $2 RETURNING *",
        [orgId, id],
      )
    ).rows[0];
  },
  /** Takes the primary flag from the customer's other contacts; returns those changed. */
  async clearOtherPrimaries(q: Queryable, orgId: string, customerId: string, keepId: string) {
    return (
      await q.query<ContactRow>(
        `UPDATE contacts SET is_primary = false, version = version + 1, updated_at = now()
         WHERE org_id = $1 AND customer_id = $2 AND id <> $3 AND is_primary RETURNING *`,
        [orgId, customerId, keepId],
      )
    ).rows;
  },
  /** Moves every contact of one customer to another (a merge), none of them primary there; returns them. */
  async moveToCustomer(q: Queryable, orgId: string, fromId: string, toId: string) {
    return (
      await q.query<ContactRow>(
        `UPDATE contacts SET customer_id = $3, is_primary = false, version = version + 1, updated_at = now()
           WHERE org_id = $1 AND customer_id = $2 RETURNING *`,
        [orgId, fromId, toId],
      )
    ).rows;
  },
};
