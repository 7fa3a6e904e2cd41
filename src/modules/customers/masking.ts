import type { MaskableField } from './customers.policy.ts';
import { maskPhone } from './normalize.ts';

/**
 * How each personal field looks to a caller who sees it masked: enough to recognise a customer on the phone,
 * not enough to contact or identify them.
 */

/** 'zhang.wei@example.com' → 'z***@example.com'. */
export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 1) return '***';
  return `${value[0]}***${value.slice(at)}`;
}

// Province / municipality, prefecture-level city, then district or county: an address is shown down to its
// district, the street and number are hidden.
const DISTRICT_RE =
  /^(?:.{1,10}?(?:省|自治区|特别行政区))?(?:.{1,12}?(?:自治州|地区|盟|市|州))?(?:.{1,10}?(?:新区|区|县|旗|市))/u;

/** '上海市浦东新区张江路 123 号' → '上海市浦东新区****'; an address without a recognisable district → '****'. */
export function maskAddress(value: string): string {
  const m = DISTRICT_RE.exec(value.trim());
  return m && m[0].length < value.trim().length ? `${m[0]}****` : '****';
}

/** '1988-05-03' → '****-05-03': the day stays (birthday greetings), the year (age) is hidden. */
export function maskBirthday(value: string): string {
  return /^\d{4}-/.test(value) ? `****${value.slice(4)}` : '****';
}

/** '11010519491231002X' → '**************002X'. */
export function maskIdNumber(value: string): string {
  return value.length > 4 ? `${'*'.repeat(value.length - 4)}${value.slice(-4)}` : '*'.repeat(value.length);
}

export function maskField(field: MaskableField, value: string | null): string | null {
  if (value === null || value === '') return value;
  switch (field) {
    case 'mobile':
    case 'phone':
      return maskPhone(value);
    case 'email':
      return maskEmail(value);
    case 'address':
      return maskAddress(value);
    case 'birthday':
      return maskBirthday(value);
    case 'idNumber':
      return maskIdNumber(value);
  }
}
