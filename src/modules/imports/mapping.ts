import type { FieldError } from '../../platform/http/errors.ts';
import en from '../../platform/i18n/locales/en.ts';
import es from '../../platform/i18n/locales/es.ts';
import zhCN from '../../platform/i18n/locales/zh-CN.ts';

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
  'sourceChannel',
  'memberLevel',
  'tags',
  'externalRef',
  'ownerEmail',
] as const;

export type ImportField = (typeof IMPORT_FIELDS)[number];
/** column → field (`custom.<key>` for custom fields) or null (ignored). */
export type Mapping = Record<string, string | null>;

const SYNONYMS: Record<ImportField, string[]> = {
  kind: ['类型', '客户类型', '类别', 'kind', 'type', 'customer type', 'tipo', 'tipo de cliente'],
  name: [
    '姓名',
    '名称',
    '名字',
    '客户',
    '客户名称',
    '客户姓名',
    '公司名称',
    '公司',
    '单位名称',
    '企业名称',
    'name',
    'customer',
    'customer name',
    'full name',
    'company',
    'company name',
    'nombre',
    'cliente',
    'nombre del cliente',
    'empresa',
    'razón social',
  ],
  mobile: [
    '手机',
    '手机号',
    '手机号码',
    '移动电话',
    '联系手机',
    '电话号码',
    'mobile',
    'mobile phone',
    'cell',
    'cell phone',
    'cellphone',
    'móvil',
    'movil',
    'celular',
    'teléfono móvil',
  ],
  email: [
    '邮箱',
    '电子邮箱',
    '电子邮件',
    '邮件',
    'email',
    'e-mail',
    'mail',
    'correo',
    'correo electrónico',
    'email address',
  ],
  phone: [
    '电话',
    '座机',
    '固定电话',
    '公司电话',
    '办公电话',
    'phone',
    'telephone',
    'tel',
    'landline',
    'office phone',
    'company phone',
    'teléfono',
    'telefono',
    'teléfono fijo',
  ],
  address: [
    '地址',
    '公司地址',
    '联系地址',
    '住址',
    '通讯地址',
    'address',
    'dirección',
    'direccion',
    'domicilio',
  ],
  personInCharge: ['负责人', '法人', 'person in charge', 'responsible', 'responsable'],
  contactPerson: ['联系人', 'contact', 'contact person', 'contacto', 'persona de contacto'],
  position: ['职位', '职务', '岗位', 'position', 'title', 'job title', 'cargo', 'puesto'],
  gender: ['性别', 'gender', 'sex', 'género', 'genero', 'sexo'],
  birthday: [
    '生日',
    '出生日期',
    '出生年月日',
    'birthday',
    'birth date',
    'date of birth',
    'dob',
    'cumpleaños',
    'fecha de nacimiento',
  ],
  age: ['年龄', 'age', 'edad'],
  bestContactTime: [
    '最佳联系时间',
    '联系时间',
    '方便联系时间',
    'best contact time',
    'best time to contact',
    'mejor hora de contacto',
    'horario de contacto',
  ],
  hobbies: ['爱好', '兴趣', '兴趣爱好', 'hobbies', 'hobby', 'interests', 'aficiones', 'pasatiempos'],
  familyNotes: ['家庭情况', '家庭', '家庭备注', 'family', 'family notes', 'notas familiares', 'familia'],
  sourceChannel: [
    '来源',
    '来源渠道',
    '渠道',
    '客户来源',
    'source',
    'channel',
    'source channel',
    'origen',
    'canal',
    'canal de origen',
  ],
  memberLevel: [
    '会员等级',
    '会员级别',
    '等级',
    '级别',
    'member level',
    'level',
    'membership',
    'tier',
    'nivel',
    'nivel de socio',
    'nivel de membresía',
  ],
  tags: ['标签', 'tags', 'tag', 'labels', 'etiquetas', 'etiqueta'],
  externalRef: [
    '外部编号',
    '客户编号',
    '编号',
    '会员号',
    '会员编号',
    '门店编号',
    'external ref',
    'external id',
    'customer id',
    'customer no',
    'ref',
    'reference',
    'code',
    'referencia',
    'referencia externa',
    'código',
    'codigo',
  ],
  ownerEmail: [
    '负责坐席邮箱',
    '客服邮箱',
    '负责人邮箱',
    '归属坐席',
    'owner',
    'owner email',
    'agent email',
    'assigned to',
    'correo del responsable',
    'agente',
  ],
};

/** Lower case, width-folded, without spaces, punctuation, required-markers (*) or a bracketed note. */
export function normalizeHeader(h: string): string {
  return h
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[(（[【].*?[)）\]】]/g, '')
    .replace(/[\s\p{P}\p{S}]/gu, '');
}

function buildIndex(): Map<string, string> {
  const index = new Map<string, string>();
  const add = (label: string, field: string) => {
    const key = normalizeHeader(label);
    if (key && !index.has(key)) index.set(key, field);
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

export interface CustomFieldRef {
  key: string;
  label: Partial<Record<string, string>>;
}

/** A suggestion per column; a field is suggested once (the first column that names it wins). */
export function suggestMapping(columns: string[], customFields: CustomFieldRef[]): Mapping {
  const custom = new Map<string, string>();
  for (const d of customFields) {
    custom.set(normalizeHeader(d.key), `custom.${d.key}`);
    for (const l of Object.values(d.label)) if (l) custom.set(normalizeHeader(l), `custom.${d.key}`);
  }
  const used = new Set<string>();
  const out: Mapping = {};
  for (const col of columns) {
    const key = normalizeHeader(col);
    const field = custom.get(key) ?? INDEX.get(key) ?? null;
    out[col] = field && !used.has(field) ? field : null;
    if (field) used.add(field);
  }
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

/** '1990/5/6', '1990.05.06', '1990年5月6日', '1990-5-6' → '1990-05-06'; anything else is returned as is. */
export function normalizeDate(s: string): string {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]00:00(?::00)?)?$/.exec(
    s.trim(),
  );
  return m ? `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}` : s.trim();
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
    const raw = (cells[i] ?? '').trim();
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
      case 'birthday':
        input.birthday = normalizeDate(raw);
        break;
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
