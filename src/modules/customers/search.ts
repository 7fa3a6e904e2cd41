import { pinyinTokens } from '../../platform/search/pinyin.ts';
import {
  fragmentGrams,
  joinTokens,
  queryTokens,
  searchWords,
  substringGrams,
} from '../../platform/search/tokens.ts';
import type { ListFilter } from './customers.repo.ts';
import { normalizeMobile } from './normalize.ts';

/**
 * Customer search, both sides: what a customer is stored to be found by, and what a query `q` searches.
 * Every way of matching uses an index (see whereOf in customers.repo.ts):
 * - words (jieba) of the name, contact person, person in charge, address, tags and email;
 * - the name in pinyin and its initials (`wangjing`, `wj` → 王静), as words of the same index;
 * - a fragment of the name with CJK characters: its character grams (GIN), confirmed by ILIKE on the candidates;
 * - a fragment of the name without CJK characters and with a run of 3+ letters or digits: ILIKE on the
 *   pg_trgm index (shorter Latin fragments match whole words only);
 * - the exact mobile, email or external reference (for a caller who sees the mobile or email masked, such a
 *   lookup is counted and limited per user and audited when it matches: see lookupOfMaskedField);
 * - the last 4 to 11 digits of the mobile, only for callers who see mobiles in full (`mobileDigits`). For the
 *   others digit fragments match no mobile: they would let a caller uncover masked numbers.
 */

export interface SearchableCustomer {
  name: string;
  contact_person: string | null;
  person_in_charge: string | null;
  address: string | null;
  tags: string[] | null;
  email: string | null;
}

/** The stored search_tokens of a customer (writes, the backfill and the benchmarks all use this). */
export function customerSearchTokens(c: SearchableCustomer): string {
  // The name, its grams and its pinyin come first, so the length cap never drops them.
  return joinTokens(
    searchWords([c.name]),
    substringGrams(c.name),
    pinyinTokens(c.name),
    searchWords([c.contact_person, c.person_in_charge, c.address, (c.tags ?? []).join(' '), c.email]),
  );
}

const LATIN_RUN = /[\p{L}\p{N}]{3,}/u;
const HAS_CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

export type SearchFilter = Pick<
  ListFilter,
  'q' | 'qTokens' | 'qGrams' | 'qNameLike' | 'qMobile' | 'qMobileSuffix'
>;

/**
 * The search part of a list filter for what the caller typed (undefined q: no search). `mobileDigits`: the
 * caller sees mobiles in full, so the last 4+ digits of one find it.
 */
export function searchFilter(raw: string | undefined, opts: { mobileDigits?: boolean } = {}): SearchFilter {
  const q = raw?.trim() || undefined;
  if (!q) return { q: undefined };
  const folded = q.normalize('NFKC');
  return {
    q,
    qTokens: queryTokens(q) || undefined,
    qGrams: fragmentGrams(q) ?? undefined,
    qNameLike: !HAS_CJK.test(folded) && LATIN_RUN.test(folded),
    qMobile: normalizeMobile(q),
    qMobileSuffix: opts.mobileDigits && /^\d{4,11}$/.test(folded) ? folded : null,
  };
}
