import type { Queryable } from '../../platform/db/db.ts';
import type { SearchableCustomer } from './search.ts';

/** A customer as the search backfill reads it. */
export type BackfillCustomer = SearchableCustomer & {
  id: string;
  version: number;
  search_tokens: string;
  name_pinyin: string;
};

/** Where an org's backfill stands: the tokens version it reached and the last customer id done. */
export interface SearchState {
  tokens_version: number;
  after_id: string | null;
}

/** customer_search_state and the search_tokens column of customers (search-backfill.ts decides what to write). */
export const searchBackfillRepo = {
  /** Orgs with customers whose tokens are older than `version`, found with one index probe per org. */
  async orgsBehind(q: Queryable, version: number): Promise<string[]> {
    const r = await q.query<{ org_id: string }>(
      `WITH RECURSIVE o(org_id) AS (
       (SELECT org_id FROM customers ORDER BY org_id LIMIT 1)
       UNION ALL
       SELECT (SELECT c.org_id FROM customers c WHERE c.org_id > o.org_id ORDER BY c.org_id LIMIT 1) FROM o WHERE o.org_id IS NOT NULL
     )
     SELECT o.org_id FROM o LEFT JOIN customer_search_state s ON s.org_id = o.org_id
     WHERE o.org_id IS NOT NULL AND (s.tokens_version IS NULL OR s.tokens_version < $1)`,
      [version],
    );
    return r.rows.map((x) => x.org_id);
  },
  /** The org's state row, created at version 0 when missing. */
  async ensureState(q: Queryable, orgId: string) {
    await q.query('INSERT INTO customer_search_state (org_id) VALUES ($1) ON CONFLICT (org_id) DO NOTHING', [
      orgId,
    ]);
  },
  async afterId(q: Queryable, orgId: string) {
    return (
      await q.query<{ after_id: string | null }>(
        'SELECT after_id FROM customer_search_state WHERE org_id = $1',
        [orgId],
      )
    ).rows[0];
  },
  /** How many of the org's customers come after `afterId` (all of them for null). */
  async countAfter(q: Queryable, orgId: string, afterId: string | null) {
    return (
      await q.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM customers WHERE org_id = $1 AND ($2::uuid IS NULL OR id > $2::uuid)',
        [orgId, afterId],
      )
    ).rows[0].n;
  },
  async state(q: Queryable, orgId: string) {
    return (
      await q.query<SearchState>(
        'SELECT tokens_version, after_id FROM customer_search_state WHERE org_id = $1',
        [orgId],
      )
    ).rows[0];
  },
  /** The state row, locked until the caller's transaction ends. */
  async lockState(q: Queryable, orgId: string) {
    return (
      await q.query<SearchState>(
        'SELECT tokens_version, after_id FROM customer_search_state WHERE org_id = $1 FOR UPDATE',
        [orgId],
      )
    ).rows[0];
  },
  /** The next `limit` customers after `afterId`, by id. */
  async customersAfter(q: Queryable, orgId: string, afterId: string | null, limit: number) {
    return (
      await q.query<BackfillCustomer>(
        `SELECT id, version, name, contact_person, person_in_charge, address, tags, email, search_tokens, name_pinyin FROM customers
           WHERE org_id = $1 AND ($2::uuid IS NULL OR id > $2::uuid) ORDER BY id LIMIT $3`,
        [orgId, afterId, limit],
      )
    ).rows;
  },
  /**
   * Writes tokens and the name's pinyin sort key to customers still at the version they were read at (and
   * whose tokens or key differ).
   */
  async writeTokens(
    q: Queryable,
    orgId: string,
    rows: Array<{ id: string; version: number; tokens: string; namePinyin: string }>,
  ) {
    await q.query(
      `UPDATE customers c SET search_tokens = v.tokens, name_pinyin = v.name_pinyin
             FROM unnest($2::uuid[], $3::int[], $4::text[], $5::text[]) AS v(id, version, tokens, name_pinyin)
             WHERE c.org_id = $1 AND c.id = v.id AND c.version = v.version
               AND (c.search_tokens <> v.tokens OR c.name_pinyin <> v.name_pinyin)`,
      [
        orgId,
        rows.map((r) => r.id),
        rows.map((r) => r.version),
        rows.map((r) => r.tokens),
        rows.map((r) => r.namePinyin),
      ],
    );
  },
  async saveState(q: Queryable, orgId: string, afterId: string | null, tokensVersion: number) {
    await q.query(
      'UPDATE customer_search_state SET after_id = $2, tokens_version = $3, updated_at = now() WHERE org_id = $1',
      [orgId, afterId, tokensVersion],
    );
  },
};
