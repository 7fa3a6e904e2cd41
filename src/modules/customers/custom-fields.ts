import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Queryable, Tx } from '../../platform/db/db.ts';
import { fetchPage, type PageRequest, sortOf } from '../../platform/db/paging.ts';
import { AppError, assertId, type FieldError, notFound } from '../../platform/http/errors.ts';
import { isValidDate } from './normalize.ts';
import { authorize } from './customers.policy.ts';

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

export interface CustomFieldInput {
  entity: 'customer' | 'contact';
  key: string;
  label: Labels;
  type: CustomFieldType;
  options?: Array<{ value: string; label: Labels }>;
  required?: boolean;
  position?: number;
}

/**
 * The org's active definitions, read on every customer write: kept in memory for a few seconds. A change made in
 * this process clears them at once (after its commit); another Kept process sharing the database sees it within
 * DEFS_TTL_MS.
 */
const DEFS_TTL_MS = 5_000;
const defsCache = new Map<string, { at: number; defs: CustomFieldDef[] }>();

export async function activeDefs(q: Queryable, orgId: string, entity: 'customer' | 'contact') {
  const key = `${orgId}:${entity}`;
  const hit = defsCache.get(key);
  if (hit && Date.now() - hit.at < DEFS_TTL_MS) return hit.defs;
  const defs = (
    await q.query<CustomFieldDef>(
      'SELECT * FROM custom_field_defs WHERE org_id = $1 AND entity = $2 AND active ORDER BY position, key',
      [orgId, entity],
    )
  ).rows;
  defsCache.set(key, { at: Date.now(), defs });
  return defs;
}

function forgetDefs(tx: Tx, orgId: string) {
  const clear = () => {
    for (const k of defsCache.keys()) if (k.startsWith(`${orgId}:`)) defsCache.delete(k);
  };
  clear();
  tx.afterCommit(clear);
}

/**
 * Checks custom values against the org's definitions and returns them typed (numbers as numbers).
 * `partial` (PATCH) skips the required check for keys not sent. Errors are keyed `custom.<key>`.
 */
export function validateCustom(
  defs: CustomFieldDef[],
  values: Record<string, unknown> | undefined,
  opts: { partial: boolean; existing?: Record<string, unknown> },
): { value: Record<string, unknown>; errors: Record<string, FieldError> } {
  const errors: Record<string, FieldError> = {};
  const out: Record<string, unknown> = { ...(opts.existing ?? {}) };
  const byKey = new Map(defs.map((d) => [d.key, d]));
  for (const [key, raw] of Object.entries(values ?? {})) {
    const def = byKey.get(key);
    const field = `custom.${key}`;
    if (!def) {
      errors[field] = { key: 'validation.unknown_field' };
      continue;
    }
    if (raw === null || raw === '' || (Array.isArray(raw) && raw.length === 0)) {
      delete out[key];
      continue;
    }
    const allowed = new Set(def.options.map((o) => o.value));
    switch (def.type) {
      case 'text':
        if (typeof raw !== 'string' && typeof raw !== 'number')
          errors[field] = { key: 'validation.required' };
        else if (String(raw).length > 2000) errors[field] = { key: 'validation.text_too_long' };
        else out[key] = String(raw);
        break;
      case 'number': {
        const n =
          typeof raw === 'number'
            ? raw
            : typeof raw === 'string' && raw.trim() !== ''
              ? Number(raw.trim())
              : Number.NaN;
        if (!Number.isFinite(n)) errors[field] = { key: 'validation.number' };
        else out[key] = n;
        break;
      }
      case 'date':
        if (typeof raw !== 'string' || !isValidDate(raw.trim())) errors[field] = { key: 'validation.date' };
        else out[key] = raw.trim();
        break;
      case 'select':
        if (typeof raw !== 'string' || !allowed.has(raw))
          errors[field] = { key: 'validation.option', vars: { value: String(raw) } };
        else out[key] = raw;
        break;
      case 'multi_select': {
        const arr = Array.isArray(raw)
          ? raw
          : typeof raw === 'string'
            ? raw
                .split(/[,，、;；]/)
                .map((s) => s.trim())
                .filter(Boolean)
            : null;
        const bad = arr?.find((v) => typeof v !== 'string' || !allowed.has(v));
        if (!arr || bad !== undefined)
          errors[field] = { key: 'validation.option', vars: { value: String(bad ?? raw) } };
        else out[key] = [...new Set(arr as string[])];
        break;
      }
    }
  }
  for (const def of defs) {
    if (!def.required) continue;
    if (opts.partial && !(values && def.key in values)) continue;
    if (out[def.key] === undefined && !errors[`custom.${def.key}`])
      errors[`custom.${def.key}`] = { key: 'validation.required' };
  }
  return { value: out, errors };
}

const FIELDS_SORT = sortOf(
  'customFields',
  [
    { sql: 'd.position', type: 'int' },
    { sql: 'd.key', type: 'text' },
  ],
  'd.id',
);

export function makeCustomFieldsService(db: Db) {
  return {
    /** Active definitions in form order (position, key). */
    async list(ctx: Ctx, entity: 'customer' | 'contact', page: PageRequest) {
      authorize(ctx, 'customfield.list');
      return fetchPage<CustomFieldDef>(
        db,
        FIELDS_SORT,
        page,
        [ctx.orgId, entity],
        (k) =>
          `SELECT d.*, ${k.columns} FROM custom_field_defs d WHERE d.org_id = $1 AND d.entity = $2 AND d.active
           AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
      );
    },

    async create(ctx: Ctx, input: CustomFieldInput) {
      authorize(ctx, 'customfield.manage');
      checkOptions(input);
      return db.transaction(async (tx) => {
        const exists = await tx.query(
          'SELECT 1 FROM custom_field_defs WHERE org_id = $1 AND entity = $2 AND key = $3',
          [ctx.orgId, input.entity, input.key],
        );
        if (exists.rowCount) throw new AppError('conflict', { fields: { key: { key: 'errors.conflict' } } });
        const row = (
          await tx.query<CustomFieldDef>(
            `INSERT INTO custom_field_defs (org_id, id, entity, key, label, type, options, required, position)
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING *`,
            [
              ctx.orgId,
              randomUUID(),
              input.entity,
              input.key,
              JSON.stringify(input.label),
              input.type,
              JSON.stringify(input.options ?? []),
              input.required ?? false,
              input.position ?? 0,
            ],
          )
        ).rows[0];
        await recordAudit(tx, ctx, {
          action: 'customfield.create',
          entityType: 'custom_field',
          entityId: row.id,
          after: row,
        });
        forgetDefs(tx, ctx.orgId);
        return row;
      });
    },

    async update(
      ctx: Ctx,
      id: string,
      patch: Partial<Omit<CustomFieldInput, 'entity' | 'key' | 'type'>> & { active?: boolean },
    ) {
      authorize(ctx, 'customfield.manage');
      return db.transaction(async (tx) => {
        const before = (
          await tx.query<CustomFieldDef>('SELECT * FROM custom_field_defs WHERE org_id = $1 AND id = $2', [
            ctx.orgId,
            assertId(id),
          ])
        ).rows[0];
        if (!before) throw notFound();
        const next = { ...before, ...patch };
        checkOptions(next);
        const after = (
          await tx.query<CustomFieldDef>(
            `UPDATE custom_field_defs SET label = $3, options = $4, required = $5, position = $6, active = $7,
               version = version + 1, updated_at = now() WHERE org_id = $1 AND id = $2 RETURNING *`,
            [
              ctx.orgId,
              before.id,
              JSON.stringify(next.label),
              JSON.stringify(next.options),
              next.required,
              next.position,
              next.active,
            ],
          )
        ).rows[0];
        await recordAudit(tx, ctx, {
          action: 'customfield.update',
          entityType: 'custom_field',
          entityId: before.id,
          before,
          after,
        });
        forgetDefs(tx, ctx.orgId);
        return after;
      });
    },
  };
}

function checkOptions(def: { type: CustomFieldType; options?: Array<{ value: string }> }) {
  if ((def.type === 'select' || def.type === 'multi_select') && !def.options?.length) {
    throw new AppError('validation', { fields: { options: { key: 'validation.required' } } });
  }
}

export type CustomFieldsService = ReturnType<typeof makeCustomFieldsService>;
