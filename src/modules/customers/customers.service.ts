import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { type Db, PgCode, pgErrorCode, type Queryable, type Tx } from '../../platform/db/db.ts';
import { DEFAULT_LIMIT, type KeyPart, MAX_LIMIT, type Sort, sortOf } from '../../platform/db/paging.ts';
import { type EmitInput, emit } from '../../platform/events/events.ts';
import { writeWithTrail } from '../../platform/events/write-with-trail.ts';
import {
  AppError,
  assertId,
  type FieldError,
  fieldError,
  isUuid,
  notFound,
} from '../../platform/http/errors.ts';
import type { IdentityService, UserWithRole } from '../identity/index.ts';
import type { TasksService } from '../tasks/index.ts';
import { activeDefs } from './custom-fields.ts';
import { type CustomerInput, prepareCustomer } from './customer-input.ts';
import { changedFields, customerEventData } from './customers.events.ts';
import {
  authorize,
  customerScope,
  MASKABLE_FIELDS,
  type MaskableField,
  maskedFields,
  seesField,
} from './customers.policy.ts';
import { presentCustomer } from './customers.present.ts';
import {
  type CustomerRow,
  completeRow,
  insertUnlessDuplicateStatement,
  type ListFilter,
  customersRepo as repo,
} from './customers.repo.ts';
import { latestTodayOnEarth, todayIn } from './normalize.ts';
import { piiLookupsRepo } from './pii-lookups.repo.ts';
import { type SearchFilter, searchFilter } from './search.ts';

export interface Deps {
  identity: IdentityService;
  tasks: TasksService;
  /** Lookups by a full mobile or email the user sees masked, per user and 10 minutes (default 20). */
  piiLookupsPer10Min?: number;
}

export interface ListQuery extends Omit<ListFilter, Exclude<keyof SearchFilter, 'q'> | 'ids' | 'status'> {
  sort?: string;
  limit?: number;
  cursor?: string;
}

const SORT_KEYS: Record<string, KeyPart> = {
  createdAt: { sql: 'c.created_at', type: 'timestamptz' },
  updatedAt: { sql: 'c.updated_at', type: 'timestamptz' },
  // Pinyin order (丁 上 严 于), by the stored key (customers_name_pinyin_idx).
  name: { sql: 'c.name_pinyin', type: 'text' },
};

/** The list's sort by name ('-createdAt' = newest first), with the id tie-break. */
function customerSort(sortName: string): Sort {
  const desc = sortName.startsWith('-');
  const key = SORT_KEYS[sortName.replace(/^-/, '')];
  if (!key) throw fieldError('sort', 'validation.option', { value: sortName });
  return sortOf(`customers:${sortName}`, [{ ...key, desc }], 'c.id');
}

const SEARCH_TOTAL_CAP = 1_000;

/** A name shown to someone who may not open its record: its first character, the rest starred (王**). */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  return chars.length ? chars[0] + '*'.repeat(Math.max(chars.length - 1, 1)) : '*';
}

export function throwIfErrors(errors: Record<string, FieldError>) {
  if (Object.keys(errors).length) throw new AppError('validation', { fields: errors });
}

export function makeCustomersCore(db: Db, deps: Deps) {
  async function ownerNames(q: Queryable, ctx: Ctx, rows: CustomerRow[]) {
    const names = new Map<string, string>();
    // Reads that show customers carry their owner's name (owner_name); rows just written do not.
    for (const r of rows) {
      const known = (r as CustomerRow & { owner_name?: string | null }).owner_name;
      if (r.owner_id && typeof known === 'string') names.set(r.owner_id, known);
    }
    if (ctx.actor.userId) names.set(ctx.actor.userId, ctx.actor.name);
    const missing = [
      ...new Set(rows.map((r) => r.owner_id).filter((x): x is string => !!x && !names.has(x))),
    ];
    if (missing.length)
      for (const [id, name] of await deps.identity.namesByIds(ctx.orgId, missing, q)) names.set(id, name);
    return names;
  }

  /** API views of rows; pass the transaction when inside one. */
  async function present(ctx: Ctx, rows: CustomerRow[], q: Queryable = db) {
    const owners = await ownerNames(q, ctx, rows);
    const masked = maskedFields(ctx);
    return rows.map((r) => presentCustomer(r, { masked, owners }));
  }

  /** A customer the actor may see, or 404 — other orgs' and out-of-scope ids look the same as unknown ones. */
  async function visible(
    q: Queryable,
    ctx: Ctx,
    id: string,
    opts: { forUpdate?: boolean; anyStatus?: boolean } = {},
  ) {
    const row = await repo.visibleById(q, ctx.orgId, customerScope(ctx), assertId(id), opts);
    if (!row) throw notFound();
    return row;
  }

  /** The owner to be: an active user of the org (the signed-in actor is one, without a lookup). */
  async function checkOwner(
    tx: Queryable,
    ctx: Ctx,
    ownerId: string,
  ): Promise<Pick<UserWithRole, 'id' | 'team_ids'>> {
    if (ownerId === ctx.actor.userId && ctx.actor.type === 'user')
      return { id: ownerId, team_ids: [...ctx.actor.teamIds] };
    const u = isUuid(ownerId) ? (await deps.identity.usersByIds(ctx.orgId, [ownerId], tx))[0] : undefined;
    if (!u || u.status !== 'active') throw fieldError('ownerId', 'validation.user_not_found');
    return u;
  }

  async function duplicateCheck(q: Queryable, ctx: Ctx, values: Record<string, unknown>, excludeId?: string) {
    const dups = await repo.duplicates(q, ctx.orgId, {
      kind: values.kind as string,
      mobile: (values.mobile as string) ?? null,
      email: (values.email as string) ?? null,
      nameNormalized: (values.name_normalized as string) ?? '',
      excludeId,
    });
    if (!dups.length) return;
    const masked = !seesField(ctx, 'mobile');
    const scope = customerScope(ctx);
    throw new AppError('duplicate_customer', {
      extra: {
        candidates: dups.map((d) => {
          const view = presentCustomer(d, { masked: new Set(['mobile']) });
          const inScope =
            scope.all ||
            d.owner_id === scope.userId ||
            (d.team_id !== null && scope.teamIds.includes(d.team_id)) ||
            (scope.unassigned && !d.owner_id);
          // A candidate the caller may not open is named masked and without its id (nothing to link to).
          return {
            id: inScope ? d.id : null,
            name: inScope ? d.name : maskName(d.name),
            mobile: masked || !inScope ? view.mobile : d.mobile,
            matchedOn: d.matched_on,
            visible: inScope,
          };
        }),
      },
    });
  }

  /**
   * A search by a full mobile or email that the caller sees masked (the mobile or email then named), or null.
   * Such a lookup tells whether a number exists, so the masked digits could be walked one search at a time.
   */
  function maskedLookup(ctx: Ctx, f: ListFilter): MaskableField | null {
    if (f.qMobile && !seesField(ctx, 'mobile')) return 'mobile';
    if (f.q?.includes('@') && !seesField(ctx, 'email')) return 'email';
    return null;
  }

  const lookupLimit = deps.piiLookupsPer10Min ?? 20;

  /**
   * Counts a masked-field lookup for the user; past the limit it answers 429 (the first refusal in a window is
   * audited, so an admin sees the walk). Hits and misses count alike: a miss tells as much as a hit.
   */
  async function countLookup(ctx: Ctx) {
    const userId = ctx.actor.userId;
    if (!userId) return;
    const n = await db.transaction(async (tx) => {
      const count = await piiLookupsRepo.countLookup(tx, ctx.orgId, userId);
      if (count === lookupLimit + 1)
        await recordAudit(tx, ctx, {
          action: 'customer.lookup_limited',
          entityType: 'user',
          entityId: userId,
          meta: { limit: lookupLimit, windowMinutes: 10 },
        });
      return count;
    });
    if (n > lookupLimit) throw new AppError('lookup_rate_limited', { vars: { limit: lookupLimit } });
  }

  /** Each record a masked-field lookup found is audited: who looked it up, by which field. */
  async function auditLookup(ctx: Ctx, field: MaskableField, rows: CustomerRow[]) {
    await db.transaction(async (tx) => {
      for (const r of rows)
        await recordAudit(tx, ctx, {
          action: 'customer.lookup',
          entityType: 'customer',
          entityId: r.id,
          meta: { field },
        });
    });
  }

  /** First-page totals by org, scope and filter, with the org's latest customer change they were counted at. */
  const totals = new Map<string, { latestChange: string; total: number; totalCapped: boolean }>();

  /**
   * Today in the org's time zone, for a birthday check: looked up only when the birthday is today or later
   * somewhere on earth (anything earlier is in the past everywhere).
   */
  async function birthdayToday(q: Queryable, ctx: Ctx, birthday: unknown): Promise<string | undefined> {
    if (typeof birthday !== 'string') return undefined;
    const b = birthday.trim();
    if (b < todayIn('Etc/GMT+12') || b > latestTodayOnEarth()) return undefined;
    return todayIn((await deps.identity.org(ctx.orgId, q)).time_zone);
  }

  const core = {
    present,
    visible,
    birthdayToday,
    maskedLookup,
    countLookup,
    auditLookup,

    async list(ctx: Ctx, query: ListQuery) {
      authorize(ctx, 'customer.list');
      const sort = customerSort(query.sort ?? '-createdAt');
      const limit = Math.min(Math.max(query.limit ?? DEFAULT_LIMIT, 1), MAX_LIMIT);
      const filter: ListFilter = {
        ...query,
        ...searchFilter(query.q, { mobileDigits: seesField(ctx, 'mobile') }),
      };
      const lookup = maskedLookup(ctx, filter);
      if (lookup && !query.cursor) await countLookup(ctx);
      for (const k of ['ownerId', 'teamId'] as const) {
        const v = filter[k];
        if (v && v !== 'none' && !isUuid(v))
          return { items: [], nextCursor: null, ...(query.cursor ? {} : { total: 0, totalCapped: false }) };
      }
      const scope = customerScope(ctx);
      const { latestChange, ...page } = await repo.list(
        db,
        ctx.orgId,
        scope,
        filter,
        sort,
        { limit, cursor: query.cursor },
        !query.cursor,
      );
      if (lookup && page.items.length) await auditLookup(ctx, lookup, page.items);
      const items = await present(ctx, page.items);
      if (query.cursor) return { ...page, items };
      // All of it on one page: the page is the count.
      if (!page.nextCursor) return { ...page, items, total: items.length, totalCapped: false };
      // The total of a first page: counted once per change of the org's customers (a count over a large org
      // costs far more than the page).
      const key = `${ctx.orgId}|${JSON.stringify(scope)}|${JSON.stringify({ ...filter, sort: undefined, limit: undefined, cursor: undefined })}`;
      const known = totals.get(key);
      if (latestChange && known?.latestChange === latestChange)
        return { ...page, items, total: known.total, totalCapped: known.totalCapped };
      // A search counts up to 1,000 ("1,000+"): beyond that the number tells a reader nothing more.
      const counted = await repo.count(db, ctx.orgId, scope, filter, filter.q ? SEARCH_TOTAL_CAP : undefined);
      if (latestChange) {
        if (totals.size > 2_000) totals.clear();
        totals.set(key, { latestChange, ...counted });
      }
      return { ...page, items, ...counted };
    },

    async get(ctx: Ctx, id: string) {
      authorize(ctx, 'customer.view');
      const row = await visible(db, ctx, id, { anyStatus: true });
      return (await present(ctx, [row]))[0];
    },

    /**
     * A new customer, with its audit event and domain events, in one statement (no BEGIN/COMMIT round trips):
     * the duplicate check rides on the insert, and only when it stops it are the candidates looked up (409).
     * With allowDuplicate, a plain insert.
     */
    async create(ctx: Ctx, input: CustomerInput & { allowDuplicate?: boolean }) {
      authorize(ctx, 'customer.create');
      const defs = await activeDefs(db, ctx.orgId, 'customer');
      const today = await birthdayToday(db, ctx, input.birthday);
      const { values, errors } = prepareCustomer({ kind: 'person', ...input }, defs, undefined, { today });
      throwIfErrors(errors);
      // ownerId omitted: the creator owns it; null: unassigned (pool).
      const ownerId = input.ownerId === undefined ? ctx.actor.userId : input.ownerId;
      const assignedToOther = !!input.ownerId && input.ownerId !== ctx.actor.userId;
      if (assignedToOther) authorize(ctx, 'customer.assign');
      const owner = ownerId ? await checkOwner(db, ctx, ownerId) : null;
      const at = new Date();
      const full = {
        ...values,
        owner_id: owner?.id ?? null,
        team_id: owner?.team_ids[0] ?? null,
        assigned_at: owner ? at : null,
        created_by: ctx.actor.userId,
      };
      const trail = (row: CustomerRow) => {
        const ref = { type: 'customer', id: row.id };
        const events: EmitInput[] = [{ type: 'customer.created', record: ref, data: customerEventData(row) }];
        if (owner && assignedToOther) {
          events.push({
            type: 'customer.assigned',
            record: ref,
            data: { ...customerEventData(row), previousOwnerId: null },
          });
        }
        return {
          audit: [{ action: 'customer.create', entityType: 'customer', entityId: row.id, after: row }],
          events,
        };
      };
      if (input.allowDuplicate) {
        return db.transaction(async (tx) => {
          const row = await insertOr409(tx, ctx.orgId, full);
          const { audit, events } = trail(row);
          for (const a of audit) await recordAudit(tx, ctx, a);
          for (const e of events) await emit(tx, ctx, e);
          return (await present(ctx, [row], tx))[0];
        });
      }
      const row = completeRow(ctx.orgId, randomUUID(), full, at);
      let inserted: unknown[];
      try {
        inserted = await writeWithTrail(db, ctx, insertUnlessDuplicateStatement(row), trail(row));
      } catch (err) {
        if (pgErrorCode(err) === PgCode.uniqueViolation)
          throw new AppError('conflict', { fields: { externalRef: { key: 'errors.conflict' } } });
        throw err;
      }
      if (!inserted.length) {
        await duplicateCheck(db, ctx, values);
        throw new AppError('conflict');
      }
      return (await present(ctx, [row]))[0];
    },

    async update(ctx: Ctx, id: string, input: CustomerInput, ifMatch?: number) {
      authorize(ctx, 'customer.update');
      return db.transaction(async (tx) => {
        const before = await visible(tx, ctx, id, { forUpdate: true });
        if (ifMatch !== undefined && ifMatch !== before.version) throw new AppError('stale');
        const defs = await activeDefs(tx, ctx.orgId, 'customer');
        const { ownerId, ...rest } = input;
        let newOwner: Pick<UserWithRole, 'id' | 'team_ids'> | null = null;
        const today = await birthdayToday(tx, ctx, rest.birthday);
        const { values, errors } = prepareCustomer(rest, defs, before, { today });
        throwIfErrors(errors);
        if (ownerId !== undefined && ownerId !== before.owner_id) {
          authorize(ctx, 'customer.assign');
          newOwner = ownerId ? await checkOwner(tx, ctx, ownerId) : null;
          Object.assign(values, {
            owner_id: newOwner?.id ?? null,
            team_id: newOwner?.team_ids[0] ?? null,
            assigned_at: newOwner ? new Date() : null,
          });
        }
        const changesKey =
          values.mobile !== undefined || values.email !== undefined || values.name_normalized !== undefined;
        if (changesKey) {
          const merged = { ...before, ...values };
          const dupValues = {
            kind: merged.kind,
            mobile: values.mobile !== undefined && values.mobile !== before.mobile ? values.mobile : null,
            email: values.email !== undefined && values.email !== before.email ? values.email : null,
            name_normalized:
              values.name_normalized !== undefined && values.name_normalized !== before.name_normalized
                ? values.name_normalized
                : '',
          };
          if (dupValues.mobile || dupValues.email || dupValues.name_normalized)
            await duplicateCheck(tx, ctx, dupValues, before.id);
        }
        const after = await updateOr409(tx, ctx.orgId, before.id, values);
        await recordAudit(tx, ctx, {
          action: 'customer.update',
          entityType: 'customer',
          entityId: before.id,
          before,
          after,
        });
        const ref = { type: 'customer', id: before.id };
        await emit(tx, ctx, {
          type: 'customer.updated',
          record: ref,
          data: { ...customerEventData(after), changed: changedFields(before, after) },
        });
        if (after.owner_id !== before.owner_id) {
          await emit(tx, ctx, {
            type: 'customer.assigned',
            record: ref,
            data: { ...customerEventData(after), previousOwnerId: before.owner_id },
          });
        }
        return (await present(ctx, [after], tx))[0];
      });
    },

    async remove(ctx: Ctx, id: string) {
      authorize(ctx, 'customer.delete');
      await db.transaction(async (tx) => {
        const before = await visible(tx, ctx, id, { forUpdate: true });
        const after = await repo.update(tx, ctx.orgId, before.id, { status: 'deleted' });
        await recordAudit(tx, ctx, {
          action: 'customer.delete',
          entityType: 'customer',
          entityId: before.id,
          before,
          after,
        });
        await emit(tx, ctx, {
          type: 'customer.deleted',
          record: { type: 'customer', id: before.id },
          data: customerEventData(after),
        });
      });
    },

    /**
     * Shows personal fields in full to someone who sees them masked (all six, or those named); the reason and
     * the fields are audited.
     */
    async reveal(ctx: Ctx, id: string, reason: string, fields: readonly MaskableField[] = MASKABLE_FIELDS) {
      authorize(ctx, 'customer.reveal');
      const wanted = [...new Set(fields)];
      return db.transaction(async (tx) => {
        const row = await visible(tx, ctx, id, { anyStatus: true });
        await recordAudit(tx, ctx, {
          action: 'customer.reveal',
          entityType: 'customer',
          entityId: row.id,
          meta: { reason, fields: wanted },
        });
        const full: Record<MaskableField, string | null> = {
          mobile: row.mobile,
          phone: row.phone,
          email: row.email,
          address: row.address,
          birthday: row.birthday,
          idNumber: row.id_number ?? null,
        };
        return Object.fromEntries(wanted.map((f) => [f, full[f]])) as Partial<
          Record<MaskableField, string | null>
        >;
      });
    },
  };
  return core;
}

export async function insertOr409(
  tx: Tx,
  orgId: string,
  values: Record<string, unknown>,
): Promise<CustomerRow>;
export async function insertOr409(
  tx: Tx,
  orgId: string,
  values: Record<string, unknown>,
  unlessDuplicateOf: Record<string, unknown>,
): Promise<CustomerRow | undefined>;
export async function insertOr409(
  tx: Tx,
  orgId: string,
  values: Record<string, unknown>,
  unlessDuplicateOf?: Record<string, unknown>,
) {
  try {
    if (unlessDuplicateOf) {
      return await repo.insertUnlessDuplicate(tx, orgId, randomUUID(), values, {
        kind: unlessDuplicateOf.kind as string,
        mobile: (unlessDuplicateOf.mobile as string) ?? null,
        email: (unlessDuplicateOf.email as string) ?? null,
        nameNormalized: (unlessDuplicateOf.name_normalized as string) ?? '',
      });
    }
    return await repo.insert(tx, orgId, randomUUID(), values);
  } catch (err) {
    if (pgErrorCode(err) === PgCode.uniqueViolation)
      throw new AppError('conflict', { fields: { externalRef: { key: 'errors.conflict' } } });
    throw err;
  }
}

export async function updateOr409(tx: Tx, orgId: string, id: string, values: Record<string, unknown>) {
  try {
    return await repo.update(tx, orgId, id, values);
  } catch (err) {
    if (pgErrorCode(err) === PgCode.uniqueViolation)
      throw new AppError('conflict', { fields: { externalRef: { key: 'errors.conflict' } } });
    throw err;
  }
}

export type CustomersCore = ReturnType<typeof makeCustomersCore>;
