import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

/**
 * Chinese-aware search tokens. PostgreSQL's 'simple' text-search config splits on spaces only, so Chinese text
 * is cut into words here (jieba, search mode) and stored space-separated; a GIN index over
 * to_tsvector('simple', tokens) then answers word queries in Chinese and other languages alike.
 *
 * Words alone do not find a fragment of a name ("静怡" in "王静怡" is not a word jieba cuts out), so for the
 * texts searched by substring (a customer's name) the tokens also carry every CJK character and every pair of
 * neighbouring CJK characters: any fragment of 2+ characters is then the AND of its character pairs, which the
 * same GIN index answers, and a LIKE on the few candidates confirms the characters are adjacent in order.
 * Everything here is computed in JavaScript, so it does not depend on the database's locale (pg_trgm does: it
 * finds no trigrams in Chinese under an lc_ctype of C).
 */

/**
 * Bump when what searchTokens() stores changes: a data backfill after the migrations then recomputes the stored
 * tokens of existing records (customers: modules/customers/search-backfill.ts).
 * 1: jieba words. 2: + CJK characters and character pairs of names. 3: + pinyin and initials of names (and the
 * customers' name_pinyin sort key, written by the same backfill).
 */
export const SEARCH_TOKENS_VERSION = 3;

const MAX_CHARS = 8000;
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu;

let jieba: Jieba | undefined;
function cutter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

const fold = (text: string) => text.normalize('NFKC').toLowerCase();

/** jieba words (search mode) of the texts, lower case, without the characters tsquery syntax gives meaning. */
export function searchWords(texts: Array<string | null | undefined>): string[] {
  const out: string[] = [];
  for (const text of texts) {
    if (!text) continue;
    for (const w of cutter().cutForSearch(fold(text), true)) {
      const t = w.trim().replace(/[\s'":&|!()<>\\]/g, '');
      if (t && !/^[\p{P}\p{S}]+$/u.test(t)) out.push(t);
    }
  }
  return out;
}

function cjkRuns(text: string): string[] {
  return fold(text).match(CJK_RUN) ?? [];
}

/** What a text is found by as a substring: each of its CJK characters and each pair of neighbouring ones. */
export function substringGrams(text: string | null | undefined): string[] {
  const out: string[] = [];
  for (const run of cjkRuns(text ?? '')) {
    const chars = [...run];
    for (let i = 0; i < chars.length; i++) {
      out.push(chars[i]);
      if (i + 1 < chars.length) out.push(chars[i] + chars[i + 1]);
    }
  }
  return out;
}

/**
 * The grams every text containing `fragment` has (space-separated, for plainto_tsquery: all must match), or
 * null when the fragment has no CJK character: a 1-character run is itself, a longer run its character pairs.
 */
export function fragmentGrams(fragment: string): string | null {
  const out = new Set<string>();
  for (const run of cjkRuns(fragment)) {
    const chars = [...run];
    if (chars.length === 1) out.add(chars[0]);
    for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i] + chars[i + 1]);
  }
  return out.size ? [...out].join(' ') : null;
}

/** Token lists joined as stored: each token once, in first-seen order, capped in length. */
export function joinTokens(...lists: string[][]): string {
  const out = new Set<string>();
  for (const list of lists) for (const t of list) if (t) out.add(t);
  let s = '';
  for (const t of out) {
    if (s.length + t.length + 1 > MAX_CHARS) break;
    s = s ? `${s} ${t}` : t;
  }
  return s;
}

/** Stored tokens for the texts: their jieba words, plus the substring grams of `substrings` (names). */
export function searchTokens(
  texts: Array<string | null | undefined>,
  substrings: Array<string | null | undefined> = [],
): string {
  const [first, ...rest] = texts;
  // The first text (a record's name) and its grams come first, so the length cap never drops them.
  return joinTokens(searchWords([first]), substrings.flatMap(substringGrams), searchWords(rest));
}

/** Stored token strings merged (e.g. a merged record keeps what both were found by): no re-cutting. */
export function unionTokens(...stored: string[]): string {
  return joinTokens(...stored.map((s) => s.split(' ')));
}

/** Tokens for a query: the same word cutting, so a query matches what was stored. */
export function queryTokens(q: string): string {
  return joinTokens(searchWords([q]));
}
