import type { FieldError } from '../../platform/http/errors.ts';
import en from '../../platform/i18n/locales/en.ts';
import es from '../../platform/i18n/locales/es.ts';
import zhCN from '../../platform/i18n/locales/zh-CN.ts';
import { cleanCell, parseBirthday, parseDate } from './cells.ts';
import { CUSTOM_CONCEPTS, SYNONYMS, WEAK_SYNONYMS } from './header-synonyms.ts';

/**
 * Column mapping: which spreadsheet column feeds which customer field. Suggestions come from header
 * synonyms in Chinese, English and Spanish, plus the export headers of all three languages (so an export
 * imports back) and the org's custom field keys and labels.
 */

export const IMPORT_FIELDS = [
  'kind',
  'name',
  'mobile',
  'email',
  'phone',
  'address',
  'personInCharge',
  'contactPerson',
  'position',
  'gender',
  'birthday',
  'age',
  'bestContactTime',
  'hobbies',
  'familyNotes',
  'notes',
  'sourceChannel',
  'memberLevel',
  'tags',
  'externalRef',
  'ownerEmail',
] as const;

export type ImportField = (typeof IMPORT_FIELDS)[number];
/** column → field (`custom.<key>` for custom fields) or null (ignored). */
export type Mapping = Record<string, string | null>;

/** Lower case, width-folded, without spaces, punctuation, required-markers (*) or a bracketed note. */
export function normalizeHeader(h: string): string {
  return h
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[(（[【].*?[)）\]】]/g, '')
    .replace(/[\s\p{P}\p{S}]/gu, '');
}

const WEAK = new Map<string, { field: ImportField; alt?: ImportField }>();
for (const w of WEAK_SYNONYMS) for (const word of w.words) WEAK.set(normalizeHeader(word), w);

function buildIndex(): Map<string, string> {
  const index = new Map<string, string>();
  const add = (label: string, field: string) => {
    const key = normalizeHeader(label);
    if (key && !index.has(key) && !WEAK.has(key)) index.set(key, field);
  };
  // Export headers first: they are exactly what Kept writes.
  for (const locale of [zhCN, en, es]) {
    const headers = locale.export.headers as Record<string, string>;
    for (const f of IMPORT_FIELDS) if (headers[f]) add(headers[f], f);
  }
  for (const f of IMPORT_FIELDS) {
    add(f, f);
    for (const s of SYNONYMS[f]) add(s, f);
  }
  return index;
}

const INDEX = buildIndex();
const CONCEPT_WORDS = CUSTOM_CONCEPTS.map((c) => ({
  keys: new Set(c.keys),
  words: new Set(c.words.map(normalizeHeader)),
  builtIn: c.builtIn,
}));
/** Words of a meaning with a built-in field (买家留言 → notes): that field, when no column named it outright. */
const BUILT_IN_CONCEPT = new Map<string, ImportField>();
for (const c of CONCEPT_WORDS) if (c.builtIn) for (const w of c.words) BUILT_IN_CONCEPT.set(w, c.builtIn);

export interface CustomFieldRef {
  key: string;
  label: Partial<Record<string, string>>;
}

function customIndex(customFields: CustomFieldRef[]) {
  const exact = new Map<string, string>();
  const concept = new Map<string, string>();
  for (const d of customFields) {
    const field = `custom.${d.key}`;
    const labels = Object.values(d.label)
      .filter((l): l is string => !!l)
      .map(normalizeHeader);
    // A key or label that is a word of a built-in field's meaning (a custom field labelled 备注) does not take
    // the column from the built-in field: it is the fallback below.
    for (const l of [normalizeHeader(d.key), ...labels]) if (!BUILT_IN_CONCEPT.has(l)) exact.set(l, field);
    // A custom field of a known meaning (key notes, or a label 备注) also takes that meaning's other words.
    for (const c of CONCEPT_WORDS) {
      if (c.keys.has(d.key.toLowerCase()) || labels.some((l) => c.words.has(l)))
        for (const w of c.words) if (!concept.has(w)) concept.set(w, field);
    }
  }
  return { exact, concept };
}

/** How many cells of a row name a field: a header row names several, a title or data row none. */
export function headerScorer(customFields: CustomFieldRef[]): (cells: string[]) => number {
  const { exact, concept } = customIndex(customFields);
  return (cells) => {
    let n = 0;
    for (const c of cells) {
      const key = c ? normalizeHeader(c) : '';
      if (
        key &&
        (exact.has(key) || INDEX.has(key) || WEAK.has(key) || BUILT_IN_CONCEPT.has(key) || concept.has(key))
      )
        n++;
    }
    return n;
  };
}

/**
 * A suggestion per column; a field is suggested once. Columns that name a field outright (手机, 姓名, the org's
 * custom field labels) are served first, in column order; then the weaker words (联系电话 → mobile, or the phone
 * when a 联系手机 took the mobile) and the words of a known meaning: 买家留言 → notes, or, when another column took
 * the notes, the org's custom field of that meaning (a custom field keyed remark), if any.
 */
export function suggestMapping(columns: string[], customFields: CustomFieldRef[]): Mapping {
  const { exact, concept } = customIndex(customFields);
  const used = new Set<string>();
  const out: Mapping = {};
  const keys = columns.map(normalizeHeader);
  columns.forEach((col, i) => {
    const field = exact.get(keys[i]) ?? INDEX.get(keys[i]) ?? null;
    out[col] = field && !used.has(field) ? field : null;
    if (field) used.add(field);
  });
  columns.forEach((col, i) => {
    if (out[col]) return;
    const weak = WEAK.get(keys[i]);
    const options = weak ? [weak.field, weak.alt] : [BUILT_IN_CONCEPT.get(keys[i]), concept.get(keys[i])];
    const field = options.find((f): f is string => !!f && !used.has(f)) ?? null;
    out[col] = field;
    if (field) used.add(field);
  });
  return out;
}

/** Checks a mapping against the file's columns and the known fields; errors are keyed `mapping.<column>`. */
export function checkMapping(
  mapping: Mapping,
  columns: string[],
  customKeys: string[],
): Record<string, FieldError> {
  const errors: Record<string, FieldError> = {};
  const known = new Set<string>([...IMPORT_FIELDS, ...customKeys.map((k) => `custom.${k}`)]);
  const cols = new Set(columns);
  const seen = new Map<string, string>();
  for (const [col, field] of Object.entries(mapping)) {
    const at = `mapping.${col}`;
    if (!cols.has(col)) errors[at] = { key: 'imports.mapping.unknown_column', vars: { value: col } };
    else if (field === null || field === '') continue;
    else if (typeof field !== 'string' || !known.has(field))
      errors[at] = { key: 'imports.mapping.unknown_field', vars: { value: String(field) } };
    else if (seen.has(field))
      errors[at] = {
        key: 'imports.mapping.duplicate_field',
        vars: { value: field, column: seen.get(field) },
      };
    else seen.set(field, col);
  }
  if (!Object.keys(errors).length && !['name', 'mobile', 'externalRef'].some((f) => seen.has(f))) {
    errors.mapping = { key: 'imports.mapping.key_required' };
  }
  return errors;
}

const KIND: Record<string, 'person' | 'company'> = {};
for (const [k, words] of Object.entries({
  person: ['person', '个人', '个人客户', '自然人', 'individual', 'persona', 'particular'],
  company: [
    'company',
    '公司',
    '企业',
    '单位',
    '机构',
    '企业客户',
    'organization',
    'organisation',
    'business',
    'empresa',
    'compañía',
    'organización',
  ],
})) {
  for (const w of words) KIND[normalizeHeader(w)] = k as 'person' | 'company';
}

const GENDER: Record<string, 'male' | 'female' | 'other'> = {};
for (const [g, words] of Object.entries({
  male: ['male', 'm', 'man', '男', '男性', '先生', 'hombre', 'masculino', 'h', 'varón'],
  female: ['female', 'f', 'woman', '女', '女性', '女士', 'mujer', 'femenino'],
  other: ['other', '其他', 'otro', 'otra'],
})) {
  for (const w of words) GENDER[normalizeHeader(w)] = g as 'male' | 'female' | 'other';
}

/** '1990/5/6', '1990年5月6日', '85.10.1', '19900506', an Excel serial → '1990-05-06'; else returned as is. */
export function normalizeDate(s: string): string {
  return parseDate(s) ?? s.trim();
}

export interface RowUser {
  id: string;
  email: string;
}

/**
 * One spreadsheet row as customer input: only mapped, non-empty cells. Conversions that the customers core does
 * not do (kind and gender words, dates in local formats, tags lists, owner e-mail → user) happen here; their
 * errors are collected, the rest is validated by the customers core.
 */
export function rowToInput<U extends RowUser>(
  cells: string[],
  columns: string[],
  mapping: Mapping,
  customTypes: Map<string, string>,
  usersByEmail: Map<string, U>,
): {
  input: Record<string, unknown> & { custom?: Record<string, unknown> };
  owner?: U;
  errors: Record<string, FieldError>;
} {
  const input: Record<string, unknown> & { custom?: Record<string, unknown> } = {};
  const errors: Record<string, FieldError> = {};
  let owner: U | undefined;
  columns.forEach((col, i) => {
    const field = mapping[col];
    const raw = cleanCell(cells[i] ?? '');
    if (!field || raw === '') return;
    if (field.startsWith('custom.')) {
      const key = field.slice('custom.'.length);
      input.custom ??= {};
      input.custom[key] = customTypes.get(key) === 'date' ? normalizeDate(raw) : raw;
      return;
    }
    switch (field as ImportField) {
      case 'kind': {
        const k = KIND[normalizeHeader(raw)];
        if (k) input.kind = k;
        else errors.kind = { key: 'validation.option', vars: { value: raw } };
        break;
      }
      case 'gender': {
        const g = GENDER[normalizeHeader(raw)];
        if (g) input.gender = g;
        else errors.gender = { key: 'validation.option', vars: { value: raw } };
        break;
      }
      case 'age':
        if (/^\d{1,3}$/.test(raw)) input.age = Number(raw);
        else errors.age = { key: 'validation.number' };
        break;
      case 'birthday': {
        const b = parseBirthday(raw);
        if (b.error) errors.birthday = b.error;
        else input.birthday = b.value;
        break;
      }
      case 'tags':
        input.tags = raw
          .split(/[,，、;；]/)
          .map((t) => t.trim())
          .filter(Boolean);
        break;
      case 'ownerEmail':
        owner = usersByEmail.get(raw.toLowerCase());
        if (!owner) errors.ownerEmail = { key: 'validation.user_not_found' };
        break;
      default:
        input[field] = raw;
    }
  });
  return { input, owner, errors };
}
