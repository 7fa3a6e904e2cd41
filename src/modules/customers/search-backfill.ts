import { type Db, yieldToEventLoop } from '../../platform/db/db.ts';
import { pinyinSortKey } from '../../platform/search/pinyin.ts';
import { SEARCH_TOKENS_VERSION, unionTokens } from '../../platform/search/tokens.ts';
import { customerSearchTokens } from './search.ts';
import { searchBackfillRepo as repo } from './search-backfill.repo.ts';

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

export async function backfillSearchTokens(
  db: Db,
  opts: { batchSize?: number; onProgress?: (p: SearchBackfillProgress) => void } = {},
): Promise<SearchBackfillResult> {
  const batchSize = opts.batchSize ?? 1000;
  const version = SEARCH_TOKENS_VERSION;
  const result: SearchBackfillResult = { orgs: 0, customers: 0 };
  for (const orgId of await repo.orgsBehind(db, version)) {
    await repo.ensureState(db, orgId);
    const start = await repo.afterId(db, orgId);
    const total = await repo.countAfter(db, orgId, start.after_id);
    let done = 0;
    opts.onProgress?.({ orgId, done, total });
    for (;;) {
      const state = await repo.state(db, orgId);
      if (state.tokens_version >= version) break;
      const rows = await repo.customersAfter(db, orgId, state.after_id, batchSize);
      const tokens = rows.map((r) => unionTokens(customerSearchTokens(r), r.search_tokens));
      const last = rows.length === batchSize ? rows[rows.length - 1].id : null;
      const wrote = await db.transaction(async (tx) => {
        const now = await repo.lockState(tx, orgId);
        // Another process did this batch meanwhile: read the state again.
        if (now.tokens_version >= version || now.after_id !== state.after_id) return false;
        if (rows.length) {
          await repo.writeTokens(
            tx,
            orgId,
            rows.map((r, i) => ({
              id: r.id,
              version: r.version,
              tokens: tokens[i],
              namePinyin: pinyinSortKey(r.name),
            })),
          );
        }
        await repo.saveState(tx, orgId, last, last ? now.tokens_version : version);
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
