import { pinyin } from 'pinyin-pro';

/**
 * Pinyin of names (pinyin-pro, surname readings: 单 in 单田芳 is shàn), for the two things Chinese users expect
 * of a list of names: sorted in pinyin order (丁 ding, 上 shang, 严 yan, 于 yu; Latin names among them by their
 * letters) and found by pinyin or initials (`wangjing`, `wj` → 王静).
 */

interface Part {
  text: string;
  zh: boolean;
  first: string;
}

function parts(name: string): Part[] {
  return pinyin(name.normalize('NFKC'), { toneType: 'none', type: 'all', mode: 'surname', v: true }).map(
    (x) => ({
      text: (x.isZh ? x.pinyin : x.origin).toLowerCase(),
      zh: x.isZh,
      first: (x.isZh ? x.first : x.origin).toLowerCase(),
    }),
  );
}

/**
 * The sort key of a name: its syllables (and other characters, lower case) separated by spaces, then \u0001 and
 * the name itself, so equal readings keep the same characters together. Compared byte-wise (COLLATE "C").
 */
export function pinyinSortKey(name: string): string {
  const syllables: string[] = [];
  let run = '';
  for (const p of parts(name.trim())) {
    if (p.zh) {
      if (run.trim()) syllables.push(run.trim());
      run = '';
      syllables.push(p.text);
    } else if (/\s/.test(p.text)) {
      if (run.trim()) syllables.push(run.trim());
      run = '';
    } else run += p.text;
  }
  if (run.trim()) syllables.push(run.trim());
  return `${syllables.join(' ')}\u0001${name.trim()}`.slice(0, 500);
}

/**
 * Search tokens of a name with Chinese characters: the whole name in pinyin (`wangjing`) and its initials (`wj`),
 * each CJK run on its own; none for a name without Chinese characters (its letters are already its words).
 */
export function pinyinTokens(name: string | null | undefined): string[] {
  if (!name) return [];
  const out: string[] = [];
  let full = '';
  let initials = '';
  const flush = () => {
    if (full) out.push(full, initials);
    full = '';
    initials = '';
  };
  for (const p of parts(name)) {
    if (p.zh) {
      full += p.text;
      initials += p.first;
    } else flush();
  }
  flush();
  return [...new Set(out)];
}
