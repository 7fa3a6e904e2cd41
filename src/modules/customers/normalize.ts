/**
 * Normalization and checks for what people type into customer records: mainland mobile numbers written with
 * full-width digits, +86, spaces or dashes; emails; names compared for duplicates.
 */

const MOBILE_RE = /^1[3-9]\d{9}$/;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

/** '１３８ 0013 8000', '+86 138-0013-8000', '0086 13800138000' → '+8613800138000'; anything else → null. */
export function normalizeMobile(input: string): string | null {
  let s = input.normalize('NFKC').replace(/[\s\-().·]/g, '');
  if (s.startsWith('+86')) s = s.slice(3);
  else if (s.startsWith('0086')) s = s.slice(4);
  else if (s.length === 13 && s.startsWith('86')) s = s.slice(2);
  return MOBILE_RE.test(s) ? `+86${s}` : null;
}

/** Landlines and other phones: digits with optional +, spaces, dashes, parentheses, extension. */
export function normalizePhone(input: string): string | null {
  const s = input.normalize('NFKC').trim().replace(/\s+/g, ' ');
  const digits = s.replace(/\D/g, '');
  if (!/^[+\d][\d\s\-()]*(?:\s*(?:ext\.?|转|x)\s*\d+)?$/i.test(s) || digits.length < 5 || digits.length > 20)
    return null;
  return s;
}

export function normalizeEmail(input: string): string | null {
  const s = input.normalize('NFKC').trim().toLowerCase();
  return EMAIL_RE.test(s) && s.length <= 254 ? s : null;
}

const COMPANY_SUFFIXES = [
  '股份有限公司',
  '有限责任公司',
  '有限公司',
  '集团公司',
  '集团',
  '公司',
  'co.,ltd.',
  'co.,ltd',
  'coltd',
  'ltd',
  'inc',
  'llc',
];

/** For duplicate detection: width-folded, lower case, no spaces or punctuation, company suffixes dropped. */
export function normalizeName(name: string, kind: 'person' | 'company'): string {
  let s = name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '');
  if (kind === 'company') {
    for (const suffix of COMPANY_SUFFIXES) {
      const bare = suffix.replace(/[\s\p{P}]/gu, '');
      if (s.endsWith(bare) && s.length > bare.length) {
        s = s.slice(0, -bare.length);
        break;
      }
    }
  }
  return s;
}

/** '+8613800138000' → '138****8000'; other phones keep their first 3 and last 2 characters. */
export function maskPhone(value: string | null): string | null {
  if (!value) return value;
  const local = value.startsWith('+86') ? value.slice(3) : value;
  if (/^1\d{10}$/.test(local)) return `${local.slice(0, 3)}****${local.slice(7)}`;
  if (local.length <= 5) return '*'.repeat(local.length);
  return `${local.slice(0, 3)}${'*'.repeat(Math.max(local.length - 5, 3))}${local.slice(-2)}`;
}

/** The local 11 digits of a stored mobile, for display to those allowed to see it. */
export function displayMobile(value: string | null): string | null {
  return value?.startsWith('+86') ? value.slice(3) : value;
}

export const EARLIEST_BIRTHDAY = '1900-01-01';

/** Today's date (YYYY-MM-DD) in an IANA time zone. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/** The latest date it is anywhere on earth (UTC+14): no birthday after it can be valid. */
export const latestTodayOnEarth = (now = new Date()) => todayIn('Pacific/Kiritimati', now);

/**
 * The field error of a birthday (YYYY-MM-DD): not a date, or outside 1900-01-01..today (in the org's time zone;
 * without it, the latest today on earth).
 */
export function birthdayErrorKey(s: string, today = latestTodayOnEarth()): string | null {
  if (!isValidDate(s)) return 'validation.date';
  if (s < EARLIEST_BIRTHDAY || s > today) return 'validation.birthday_range';
  return null;
}

export function isValidDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/**
 * A mainland resident ID number (GB 11643-1999): 18 characters, a 6-digit region, a real birth date, a 3-digit
 * sequence and the ISO 7064 MOD 11-2 check character. Full-width characters, spaces and a lower-case x are
 * accepted; returns the canonical form or null.
 */
export function normalizeIdNumber(input: string): string | null {
  const s = input.normalize('NFKC').replace(/\s/g, '').toUpperCase();
  if (!/^[1-9]\d{16}[\dX]$/.test(s)) return null;
  const born = `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`;
  if (!isValidDate(born) || born < '1900-01-01') return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(s[i]) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11] === s[17] ? s : null;
}
