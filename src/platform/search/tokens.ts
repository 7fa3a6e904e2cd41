import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

/**
 * Chinese-aware search tokens. PostgreSQL's 'simple' text-search config splits on spaces only, so Chinese text
 * is cut into words here (jieba, search mode) and stored space-separated; a GIN index over
 * to_tsvector('simple', tokens) then answers word queries in Chinese and other languages alike.
 */
let jieba: Jieba | undefined;
function cutter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

export function searchTokens(texts: Array<string | null | undefined>): string {
  const out = new Set<string>();
  for (const text of texts) {
    if (!text) continue;
    for (const w of cutter().cutForSearch(text.normalize('NFKC').toLowerCase(), true)) {
      const t = w.trim().replace(/[\s'":&|!()<>\\]/g, '');
      if (t && !/^[\p{P}\p{S}]+$/u.test(t)) out.add(t);
    }
  }
  return [...out].join(' ').slice(0, 8000);
}

/** Tokens for a query: the same cutting, so a query matches what was stored. */
export function queryTokens(q: string): string {
  return searchTokens([q]);
}
