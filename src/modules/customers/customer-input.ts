import type { FieldError } from '../../platform/http/errors.ts';
import { pinyinSortKey } from '../../platform/search/pinyin.ts';
import { type CustomFieldDef, validateCustom } from './custom-fields.ts';
import type { CustomerRow, Writable } from './customers.repo.ts';
import {
  birthdayErrorKey,
  normalizeEmail,
  normalizeIdNumber,
  normalizeMobile,
  normalizeName,
  normalizePhone,
} from './normalize.ts';
import { customerSearchTokens } from './search.ts';

/** What the API, the web forms and imports send for a customer (camelCase). */
export interface CustomerInput {
  kind?: 'person' | 'company';
  name?: string;
  mobile?: string | null;
  email?: string | null;
  phone?: string | null;
  address?: string | null;
  personInCharge?: string | null;
  contactPerson?: string | null;
  position?: string | null;
  gender?: 'male' | 'female' | 'other' | null;
  birthday?: string | null;
  age?: number | null;
  bestContactTime?: string | null;
  hobbies?: string | null;
  familyNotes?: string | null;
  notes?: string | null;
  sourceChannel?: string | null;
  memberLevel?: string | null;
  tags?: string[];
  custom?: Record<string, unknown>;
  externalRef?: string | null;
  ownerId?: string | null;
  quietHours?: Array<[string, string]> | null;
  idNumber?: string | null;
}

/** Plain text fields: camelCase input → column. */
export const TEXT_FIELDS = {
  address: 'address',
  personInCharge: 'person_in_charge',
  contactPerson: 'contact_person',
  position: 'position',
  bestContactTime: 'best_contact_time',
  hobbies: 'hobbies',
  familyNotes: 'family_notes',
  notes: 'notes',
  sourceChannel: 'source_channel',
  memberLevel: 'member_level',
  externalRef: 'external_ref',
} as const;

const blank = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

/**
 * Turns input into column values: normalizes mobile/email/phone, checks dates and custom fields, and computes
 * the duplicate key and search tokens. Returns every field error at once.
 */
export function prepareCustomer(
  input: CustomerInput,
  defs: CustomFieldDef[],
  existing?: CustomerRow,
  opts: { today?: string } = {},
): { values: Writable; errors: Record<string, FieldError> } {
  const errors: Record<string, FieldError> = {};
  const v: Writable = {};
  const partial = !!existing;

  if (input.kind !== undefined) v.kind = input.kind;
  if (input.name !== undefined) {
    if (blank(input.name)) errors.name = { key: 'validation.required' };
    else v.name = input.name.trim();
  } else if (!partial) errors.name = { key: 'validation.required' };

  if (input.mobile !== undefined) {
    if (blank(input.mobile)) v.mobile = null;
    else {
      const m = normalizeMobile(String(input.mobile));
      if (m) v.mobile = m;
      else errors.mobile = { key: 'validation.mobile' };
    }
  }
  if (input.email !== undefined) {
    if (blank(input.email)) v.email = null;
    else {
      const e = normalizeEmail(String(input.email));
      if (e) v.email = e;
      else errors.email = { key: 'validation.email' };
    }
  }
  if (input.phone !== undefined) {
    if (blank(input.phone)) v.phone = null;
    else {
      const ph = normalizePhone(String(input.phone));
      if (ph) v.phone = ph;
      else errors.phone = { key: 'validation.phone' };
    }
  }
  if (input.birthday !== undefined) {
    if (blank(input.birthday)) v.birthday = null;
    else {
      const b = String(input.birthday).trim();
      const bad = birthdayErrorKey(b, opts.today);
      if (bad) errors.birthday = { key: bad };
      else v.birthday = b;
    }
  }
  if (input.idNumber !== undefined) {
    if (blank(input.idNumber)) v.id_number = null;
    else {
      const id = normalizeIdNumber(String(input.idNumber));
      if (id) v.id_number = id;
      else errors.idNumber = { key: 'validation.id_number' };
    }
  }
  if (input.gender !== undefined) v.gender = input.gender;
  if (input.age !== undefined) v.age = input.age;
  for (const [key, col] of Object.entries(TEXT_FIELDS)) {
    const raw = input[key as keyof typeof TEXT_FIELDS];
    if (raw !== undefined) v[col] = blank(raw) ? null : String(raw).trim();
  }
  if (input.quietHours !== undefined)
    v.quiet_hours = input.quietHours?.length ? JSON.stringify(input.quietHours) : null;
  if (input.tags !== undefined) v.tags = [...new Set(input.tags.map((t) => t.trim()).filter(Boolean))];
  if (input.custom !== undefined || !partial) {
    const r = validateCustom(defs, input.custom, { partial, existing: existing?.custom });
    Object.assign(errors, r.errors);
    v.custom = r.value;
  }

  const kind = (v.kind ?? existing?.kind ?? 'person') as 'person' | 'company';
  const name = (v.name ?? existing?.name ?? '') as string;
  if (v.name !== undefined || v.kind !== undefined) v.name_normalized = normalizeName(name, kind);
  if (v.name !== undefined) v.name_pinyin = pinyinSortKey(name);
  const pick = <K extends keyof CustomerRow>(col: K, value: unknown) =>
    value !== undefined ? value : existing?.[col];
  v.search_tokens = customerSearchTokens({
    name,
    contact_person: pick('contact_person', v.contact_person) as string | null,
    person_in_charge: pick('person_in_charge', v.person_in_charge) as string | null,
    address: pick('address', v.address) as string | null,
    tags: pick('tags', v.tags) as string[] | null,
    email: pick('email', v.email) as string | null,
  });
  return { values: v, errors };
}
