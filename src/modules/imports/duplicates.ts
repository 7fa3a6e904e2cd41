import type { ImportRowInput } from '../customers/index.ts';
import { normalizeMobile } from '../customers/index.ts';

/**
 * Rows of one file that name the same customer: a later row with the external ref, or (without a ref of its
 * own) the mobile of an earlier row is that row's duplicate. The import reports it ("line 17 duplicates line 5")
 * instead of merging it into the customer the earlier row wrote.
 */
export class DuplicateTracker {
  private readonly byRef = new Map<string, number>();
  private readonly byMobile = new Map<string, number>();
  private readonly byMobileWithoutRef = new Map<string, number>();

  /** The earlier line this row repeats (and on which field), or null after remembering the row's keys. */
  check(line: number, input: ImportRowInput): { line: number; field: 'externalRef' | 'mobile' } | null {
    const ref = input.externalRef ? String(input.externalRef).trim() : '';
    const mobile = input.mobile ? normalizeMobile(String(input.mobile)) : null;
    if (ref) {
      const first = this.byRef.get(ref);
      if (first !== undefined) return { line: first, field: 'externalRef' };
      // A row with a new ref would still match, by mobile, a customer an earlier ref-less row wrote.
      const viaMobile = mobile ? this.byMobileWithoutRef.get(mobile) : undefined;
      if (viaMobile !== undefined) return { line: viaMobile, field: 'mobile' };
      this.byRef.set(ref, line);
    } else if (mobile) {
      const first = this.byMobile.get(mobile);
      if (first !== undefined) return { line: first, field: 'mobile' };
    }
    if (mobile) {
      if (!this.byMobile.has(mobile)) this.byMobile.set(mobile, line);
      if (!ref && !this.byMobileWithoutRef.has(mobile)) this.byMobileWithoutRef.set(mobile, line);
    }
    return null;
  }
}
