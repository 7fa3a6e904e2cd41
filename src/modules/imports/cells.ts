import type { FieldError } from '../../platform/http/errors.ts';

/**
 * Cells as real spreadsheets hold them: Excel text wrappers (="0123"), a leading apostrophe, =HYPERLINK(…)
 * formulas, full-width digits and letters, stray spaces; birthdays in the formats people type or Excel stores;
 * totals lines (合计/总计/小计) that are not customers.
 */

const FULL_WIDTH_ALNUM = /[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/;
const FULL_WIDTH_ALNUM_ALL = new RegExp(FULL_WIDTH_ALNUM.source, 'g');
const HYPERLINK = /^=\s*hyperlink\(\s*"((?:[^"]|"")*)"\s*(?:[,;]\s*"((?:[^"]|"")*)"\s*)?\)$/i;
const unquote = (s: string) => s.replace(/""/g, '"');

/** What a person sees in the cell, without the wrappers spreadsheets and exports add. Cheap when there are none. */
export function cleanCell(raw: string): string {
  let s = raw.trim();
  if (s === '') return s;
  const c = s.charCodeAt(0);
  if (c === 0x3d /* = */) {
    if (s.length >= 3 && s.charCodeAt(1) === 0x22 && s.endsWith('"')) s = unquote(s.slice(2, -1)).trim();
    else {
      const m = HYPERLINK.exec(s);
      if (m) s = unquote(m[2] ?? m[1]).trim();
    }
  } else if (c === 0x27 /* ' */ || c === 0x2018 || c === 0x2019) s = s.slice(1).trim();
  if (FULL_WIDTH_ALNUM.test(s))
    s = s.replace(FULL_WIDTH_ALNUM_ALL, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0));
  return s;
}

const TOTALS = /^(合计|合計|总计|總計|小计|小計|共计|total|totals|grandtotal|subtotal)/i;

/** A totals line: 合计/总计/小计 (or Total) in one of its first two non-empty cells. */
export function isTotalsRow(cells: string[]): boolean {
  let seen = 0;
  for (const cell of cells) {
    const s = cell.trim();
    if (!s) continue;
    if (TOTALS.test(s.replace(/[\s:：]/g, ''))) return true;
    if (++seen === 2) return false;
  }
  return false;
}

const pad = (n: number) => String(n).padStart(2, '0');
const isoDate = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

function validYmd(y: number, m: number, d: number): string | null {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return isoDate(date);
}

/** Two-digit years: up to this year's two digits → 20xx, above → 19xx ('85' → 1985, '05' → 2005). */
function fullYear(y: string, today: Date): number {
  if (y.length === 4) return Number(y);
  const n = Number(y);
  return n <= today.getUTCFullYear() % 100 ? 2000 + n : 1900 + n;
}

const SEPARATED =
  /^(\d{4}|\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z)?)?$/;
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

/**
 * A date as YYYY-MM-DD from what people write or Excel stores: 1988/5/3, 1988-05-03, 1990年11月12日, 85.10.1,
 * 19880503, an Excel serial (32266) or a date cell (read as 1988-05-03). Null when it is none of these or no
 * such day exists (1975-02-29).
 */
export function parseDate(raw: string, today = new Date()): string | null {
  const s = raw.trim();
  let m = SEPARATED.exec(s);
  if (m) return validYmd(fullYear(m[1], today), Number(m[2]), Number(m[3]));
  m = /^((?:19|20)\d{2})(\d{2})(\d{2})$/.exec(s);
  if (m) return validYmd(Number(m[1]), Number(m[2]), Number(m[3]));
  if (/^\d{5}(?:\.\d+)?$/.test(s)) return isoDate(new Date(EXCEL_EPOCH + Math.floor(Number(s)) * 86_400_000));
  return null;
}

/** A birthday cell: its date, or the field error (not a date, or outside 1900-01-01…today). */
export function parseBirthday(
  raw: string,
  today = new Date(),
): { value: string; error?: undefined } | { value?: undefined; error: FieldError } {
  const value = parseDate(raw, today);
  if (!value) return { error: { key: 'validation.date' } };
  if (value < '1900-01-01' || value > isoDate(today))
    return { error: { key: 'imports.outcome.birthday_range', vars: { value } } };
  return { value };
}
