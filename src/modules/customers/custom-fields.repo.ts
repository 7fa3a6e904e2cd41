import type { Queryable } from '../../platform/db/db.ts';
import { fetchPage, type PageRequest, sortOf } from '../../platform/db/paging.ts';

export type CustomFieldType = 'text' | 'number' | 'date' | 'select' | 'multi_select';
export type Labels = Partial<Record<'zh-CN' | 'en' | 'es', string>>;

export interface CustomFieldDef {
  org_id: string;
  id: string;
  entity: 'customer' | 'contact';
  key: string;
  label: Labels;
  type: CustomFieldType;
  options: Array<{ value: string; label: Labels }>;
  required: boolean;
  position: number;
  active: boolean;
  version: number;
}

const FIELDS_SORT = sortOf(
  'customFields',
  [
    { sql: 'd.position', type: 'int' },
    { sql: 'd.key', type: 'text' },
  ],
  'd.id',
);

export const customFieldsRepo = {
  /** The active definitions of an entity in form order (position, key). */
  async active(q: Queryable, orgId: string, entity: 'customer' | 'contact') {
    return (
      await q.query<CustomFieldDef>(
        'SELECT * FROM custom_field_defs WHERE org_id = $1 AND entity = $2 AND active ORDER BY position, key',
        [orgId, entity],
      )
    ).rows;
  },
  /** One page of the active definitions, in form order. */
  async activePage(q: Queryable, orgId: string, entity: 'customer' | 'contact', page: PageRequest) {
    return fetchPage<CustomFieldDef>(
      q,
      FIELDS_SORT,
      page,
      [orgId, entity],
      (k) =>
        `SELECT d.*, ${k.columns} FROM custom_field_defs d WHERE d.org_id = $1 AND d.entity = $2 AND d.active
           AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
    );
  },
  async keyTaken(q: Queryable, orgId: string, entity: string, key: string) {
    return (
      (
        await q.query('SELECT 1 FROM custom_field_defs WHERE org_id = $1 AND entity = $2 AND key = $3', [
          orgId,
          entity,
          key,
        ])
      ).rowCount > 0
    );
  },
  async insert(
    q: Queryable,
    d: {
      orgId: string;
      id: string;
      entity: string;
      key: string;
      label: Labels;
      type: CustomFieldType;
      options: Array<{ value: string; label: Labels }>;
      required: boolean;
      position: number;
    },
  ) {
    return (
      await q.query<CustomFieldDef>(
        `INSERT INTO custom_field_defs (org_id, id, entity, key, label, type, options, required, position)
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING *`,
        [
          d.orgId,
          d.id,
          d.entity,
          d.key,
          JSON.stringify(d.label),
          d.type,
          JSON.stringify(d.options),
          d.required,
          d.position,
        ],
      )
    ).rows[0];
  },
  async byId(q: Queryable, orgId: string, id: string) {
    return (
      await q.query<CustomFieldDef>('SELECT * FROM custom_field_defs WHERE org_id = $1 AND id = $2', [
        orgId,
        id,
      ])
    ).rows[0];
  },
  async update(
    q: Queryable,
    orgId: string,
    id: string,
    d: {
      label: Labels;
      options: Array<{ value: string; label: Labels }>;
      required: boolean;
      position: number;
      active: boolean;
    },
  ) {
    return (
      await q.query<CustomFieldDef>(
        `UPDATE custom_field_defs SET label = $3, options = $4, required = $5, position = $6, active = $7,
               version = version + 1, updated_at = now() WHERE org_id = $1 AND id = $2 RETURNING *`,
        [orgId, id, JSON.stringify(d.label), JSON.stringify(d.options), d.required, d.position, d.active],
      )
    ).rows[0];
  },
};
