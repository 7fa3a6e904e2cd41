import dayjs, { type Dayjs } from 'dayjs';
import type { Customer, CustomField } from '../../../api/types';
import type { CustomerInput } from '../api';

/** The standard customer fields the form edits, in display order. */
export const TEXT_FIELDS = [
  'name',
  'mobile',
  'email',
  'phone',
  'address',
  'personInCharge',
  'contactPerson',
  'position',
  'bestContactTime',
  'hobbies',
  'familyNotes',
  'notes',
  'sourceChannel',
  'memberLevel',
] as const;
export const FORM_FIELDS = [...TEXT_FIELDS, 'kind', 'gender', 'birthday', 'age', 'tags'] as const;

export type FormValues = {
  [K in (typeof TEXT_FIELDS)[number]]?: string | null;
} & {
  kind: 'person' | 'company';
  gender?: Customer['gender'];
  birthday?: Dayjs | null;
  age?: number | null;
  tags?: string[];
  custom?: Record<string, unknown>;
};

const DATE = 'YYYY-MM-DD';

export function toFormValues(c: Customer | undefined, defs: CustomField[]): FormValues {
  if (!c) return { kind: 'person', tags: [], custom: {} };
  const custom: Record<string, unknown> = {};
  for (const d of defs) {
    const v = c.custom?.[d.key];
    custom[d.key] = d.type === 'date' && typeof v === 'string' && v ? dayjs(v) : v;
  }
  const out: FormValues = {
    kind: c.kind,
    gender: c.gender,
    birthday: c.birthday ? dayjs(c.birthday) : null,
    age: c.age,
    tags: c.tags ?? [],
    custom,
  };
  for (const f of TEXT_FIELDS) out[f] = c[f];
  return out;
}

function emptyToNull(v: unknown): unknown {
  if (v === undefined || v === '') return null;
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (Array.isArray(v) && v.length === 0) return v;
  return v;
}

/** Form values → API body. Dates become YYYY-MM-DD, empty strings become null. */
export function fromFormValues(v: FormValues, defs: CustomField[]): CustomerInput {
  const body: Record<string, unknown> = {
    kind: v.kind,
    gender: v.gender ?? null,
    birthday: v.birthday ? v.birthday.format(DATE) : null,
    age: v.age ?? null,
    tags: v.tags ?? [],
  };
  for (const f of TEXT_FIELDS) body[f] = emptyToNull(v[f]);
  const custom: Record<string, unknown> = {};
  for (const d of defs) {
    const raw = v.custom?.[d.key];
    if (d.type === 'date') custom[d.key] = dayjs.isDayjs(raw) ? raw.format(DATE) : null;
    else if (d.type === 'multi_select') custom[d.key] = Array.isArray(raw) ? raw : [];
    else custom[d.key] = emptyToNull(raw);
  }
  body.custom = custom;
  return body as CustomerInput;
}

/** For create: leave out what the user did not fill in. */
export function withoutEmpty(body: CustomerInput): CustomerInput {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (v === null || v === undefined) continue;
    if (k === 'custom') {
      const c = Object.fromEntries(
        Object.entries(v as Record<string, unknown>).filter(
          ([, x]) => x !== null && !(Array.isArray(x) && x.length === 0),
        ),
      );
      if (Object.keys(c).length) out.custom = c;
      continue;
    }
    out[k] = v;
  }
  return out as CustomerInput;
}

/** For edit: only what changed, so masked values (138****0000) are never written back. */
export function changedOnly(before: CustomerInput, after: CustomerInput): CustomerInput {
  const out: Record<string, unknown> = {};
  const b = before as Record<string, unknown>;
  for (const [k, v] of Object.entries(after)) {
    if (JSON.stringify(b[k] ?? null) !== JSON.stringify(v ?? null)) out[k] = v;
  }
  return out as CustomerInput;
}
