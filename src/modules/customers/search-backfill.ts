import { type Db, yieldToEventLoop } from '../../platform/db/db.ts';
import { SEARCH_TOKENS_VERSION, unionTokens } from '../../platform/search/tokens.ts';
import { customerSearchTokens, type SearchableCustomer } from './search.ts';

/**
 * The data backfill of customers' search_tokens, run after the migrations (`kept migrate`, and in the
 * background by `kept serve`): SQL cannot cut Chinese words, so when SEARCH_TOKENS_VERSION changes the stored
 * tokens of existing customers are recomputed here, org by org, in batches by id.
 *
 * customer_search_state holds each org's version and the last id done, so an interrupted backfill resumes, and
 * several processes starting at once share the work: a batch is written only if the org's cursor is still
 * where it was read (under the state row's lock), and a customer only if it did not change meanwhile (version).
 * Jieba runs outside transactions. Tokens a customer was found by before are kept (a merged record carries its
 * source's words); writes are bookkeeping, not audited changes (search_tokens is outside the audited state).
 */

export interface SearchBackfillProgress {
  orgId: string;
  done: number;
  total: number;
}

export interface SearchBackfillResult {
  orgs: number;
  customers: number;
}

type Row = SearchableCustomer & { id: string; version: number; search_tokens: string };

/** Orgs with customers whose tokens are older than the code's, found with one index probe per org. */
async function orgsBehind(db: Db, version: number): Promise<string[]> {
  const r = await db.query<{ org_id: string }>(
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
}

export async function backfillSearchTokens(
  db: Db,
  opts: { batchSize?: number; onProgress?: (p: SearchBackfillProgress) => void } = {},
): Promise<SearchBackfillResult> {
  const batchSize = opts.batchSize ?? 1000;
  const version = SEARCH_TOKENS_VERSION;
  const result: SearchBackfillResult = { orgs: 0, customers: 0 };
  for (const orgId of await orgsBehind(db, version)) {
    await db.query('INSERT INTO customer_search_state (org_id) VALUES ($1) ON CONFLICT (org_id) DO NOTHING', [
      orgId,
    ]);
    const start = (
      await db.query<{ after_id: string | null }>(
        'SELECT after_id FROM customer_search_state WHERE org_id = $1',
        [orgId],
      )
    ).rows[0];
    const total = (
      await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM customers WHERE org_id = $1 AND ($2::uuid IS NULL OR id > $2::uuid)',
        [orgId, start.after_id],
      )
    ).rows[0].n;
    let done = 0;
    opts.onProgress?.({ orgId, done, total });
    for (;;) {
      const state = (
        await db.query<{ tokens_version: number; after_id: string | null }>(
          'SELECT tokens_version, after_id FROM customer_search_state WHERE org_id = $1',
          [orgId],
        )
      ).rows[0];
      if (state.tokens_version >= version) break;
      const rows = (
        await db.query<Row>(
          `SELECT id, version, name, contact_person, person_in_charge, address, tags, email, search_tokens FROM customers
           WHERE org_id = $1 AND ($2::uuid IS NULL OR id > $2::uuid) ORDER BY id LIMIT $3`,
          [orgId, state.after_id, batchSize],
        )
      ).rows;
      const tokens = rows.map((r) => unionTokens(customerSearchTokens(r), r.search_tokens));
      const last = rows.length === batchSize ? rows[rows.length - 1].id : null;
      const wrote = await db.transaction(async (tx) => {
        const now = (
          await tx.query<{ tokens_version: number; after_id: string | null }>(
            'SELECT tokens_version, after_id FROM customer_search_state WHERE org_id = $1 FOR UPDATE',
            [orgId],
          )
        ).rows[0];
        // Another process did this batch meanwhile: read the state again.
        if (now.tokens_version >= version || now.after_id !== state.after_id) return false;
        if (rows.length) {
          await tx.query(
            `UPDATE customers c SET search_tokens = v.tokens
             FROM unnest($2::uuid[], $3::int[], $4::text[]) AS v(id, version, tokens)
             WHERE c.org_id = $1 AND c.id = v.id AND c.version = v.version AND c.search_tokens <> v.tokens`,
            [orgId, rows.map((r) => r.id), rows.map((r) => r.version), tokens],
          );
        }
        await tx.query(
          'UPDATE customer_search_state SET after_id = $2, tokens_version = $3, updated_at = now() WHERE org_id = $1',
          [orgId, last, last ? now.tokens_version : version],
        );
        return true;
      });
      if (wrote) {
        done += rows.length;
        result.customers += rows.length;
        opts.onProgress?.({ orgId, done, total: Math.max(total, done) });
      }
      await yieldToEventLoop();
    }
    result.orgs += 1;
  }
  return result;
}

/** An onProgress that says where the backfill is: when an org starts, every ~10% and when it is done. */
export function searchBackfillLog(say: (line: string) => void): (p: SearchBackfillProgress) => void {
  let step = 0;
  return (p) => {
    const tenth = p.total ? Math.floor((p.done * 10) / p.total) : 10;
    if (p.done === 0) step = 0;
    if (p.done > 0 && tenth === step && p.done < p.total) return;
    step = tenth;
    say(`search tokens: org ${p.orgId} ${p.done}/${p.total} customers${p.done >= p.total ? ' — done' : ''}`);
  };
}
