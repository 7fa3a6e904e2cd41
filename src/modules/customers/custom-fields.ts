import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Queryable, Tx } from '../../platform/db/db.ts';
import type { PageRequest } from '../../platform/db/paging.ts';
import { AppError, assertId, type FieldError, notFound } from '../../platform/http/errors.ts';
import {
  type CustomFieldDef,
  type CustomFieldType,
  type Labels,
  customFieldsRepo as repo,
} from './custom-fields.repo.ts';
import { authorize } from './customers.policy.ts';
import { isValidDate } from './normalize.ts';

export type { CustomFieldDef, CustomFieldType, Labels } from './custom-fields.repo.ts';

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
  const defs = await repo.active(q, orgId, entity);
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

export function makeCustomFieldsService(db: Db) {
  return {
    /** Active definitions in form order (position, key). */
    async list(ctx: Ctx, entity: 'customer' | 'contact', page: PageRequest) {
      authorize(ctx, 'customfield.list');
      return repo.activePage(db, ctx.orgId, entity, page);
    },

    async create(ctx: Ctx, input: CustomFieldInput) {
      authorize(ctx, 'customfield.manage');
      checkOptions(input);
      return db.transaction(async (tx) => {
        if (await repo.keyTaken(tx, ctx.orgId, input.entity, input.key)) {
          throw new AppError('conflict', { fields: { key: { key: 'errors.conflict' } } });
        }
        const row = await repo.insert(tx, {
          orgId: ctx.orgId,
          id: randomUUID(),
          entity: input.entity,
          key: input.key,
          label: input.label,
          type: input.type,
          options: input.options ?? [],
          required: input.required ?? false,
          position: input.position ?? 0,
        });
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
        const before = await repo.byId(tx, ctx.orgId, assertId(id));
        if (!before) throw notFound();
        const next = { ...before, ...patch };
        checkOptions(next);
        const after = await repo.update(tx, ctx.orgId, before.id, next);
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
