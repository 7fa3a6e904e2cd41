import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit.ts';
import { canonicalJson } from '../../platform/audit/canonical.ts';
import { type Ctx, can } from '../../platform/context.ts';
import { PgCode, pgErrorCode, type Tx } from '../../platform/db/db.ts';
import { emit } from '../../platform/events/events.ts';
import { AppError, type FieldError } from '../../platform/http/errors.ts';
import type { UserWithRole } from '../identity/index.ts';
import type { CustomFieldDef } from './custom-fields.ts';
import { type CustomerInput, prepareCustomer } from './customer-input.ts';
import { changedFields, customerEventData } from './customers.events.ts';
import { customerScope } from './customers.policy.ts';
import { type CustomerRow, customersRepo as repo, type Writable } from './customers.repo.ts';
import { CustomerFields } from './customers.schemas.ts';
import { type Deps, insertOr409, updateOr409 } from './customers.service.ts';
import { normalizeMobile } from './normalize.ts';

/**
 * One imported row, upserted inside the caller's transaction with the same rules as the API
 * (zod limits + prepareCustomer). The match key is the external ref when given, else the normalized mobile:
 * a match updates the mapped, non-empty fields; no match creates. Name-only look-alikes never block.
 * Every write is audited in the same transaction, with the import id in the event's meta.
 */

export type ImportRowInput = Omit<CustomerInput, 'ownerId'>;

export type ImportRowResult =
  | { status: 'created' | 'updated' | 'unchanged'; id: string }
  | { status: 'invalid'; errors: Record<string, FieldError> };

export interface ImportRowOptions {
  defs: CustomFieldDef[];
  /** The owner named in the row (ownerEmail), already resolved; undefined when not given. */
  owner?: UserWithRole;
  /** Who owns a created customer when the row names nobody: the importing user (null for the system). */
  creatorOwner: UserWithRole | null;
  importId: string;
  /** Errors found while reading the row (e.g. an unknown gender word): reported with the core's own, nothing written. */
  errors?: Record<string, FieldError>;
  /** The batch's matcher (ImportMatcher.load); without one the row is looked up on its own. */
  matcher?: ImportMatcher;
  /** The batch's new customers, inserted together (DeferredCreates.flush); without it each is inserted at once. */
  deferred?: DeferredCreates;
  /** The row's checks and new-customer values worked out ahead (prepareImportRow), outside the transaction. */
  prepared?: PreparedImportRow;
}

/** What a row needs that no database read changes: its schema errors and its values as a new customer. */
export interface PreparedImportRow {
  schema: Record<string, FieldError>;
  create: ReturnType<typeof prepareCustomer>;
}

/** Pure work on one row (validation, normalisation, search tokens): done while the previous batch writes. */
export function prepareImportRow(input: ImportRowInput, defs: CustomFieldDef[]): PreparedImportRow {
  return { schema: schemaErrors(input), create: prepareCustomer({ kind: 'person', ...input }, defs) };
}

const PENDING = Symbol('pending insert');
type Provisional = CustomerRow & { [PENDING]?: true };

interface PendingCreate {
  id: string;
  values: Writable;
  ownerRow: { id: string } | null;
  importId: string;
}

/**
 * The new customers of one import batch, written in one multi-row INSERT when the batch ends (or earlier, when
 * a later row of the batch names one of them). Until then the matcher knows them as provisional rows, so the
 * same mobile twice in a batch still becomes one customer and one update. (The imports module reports a line that
 * repeats an earlier one as a duplicate and does not pass it here; callers that do pass both stay consistent.)
 */
export class DeferredCreates {
  private pending: PendingCreate[] = [];

  constructor(private readonly matcher: ImportMatcher) {}

  add(
    ctx: Ctx,
    values: Writable,
    ownerRow: { id: string; team_ids: string[] } | null,
    importId: string,
  ): string {
    const id = randomUUID();
    const full: Writable = {
      ...values,
      owner_id: ownerRow?.id ?? null,
      team_id: ownerRow?.team_ids[0] ?? null,
      assigned_at: ownerRow ? new Date() : null,
      created_by: ctx.actor.userId,
    };
    this.pending.push({ id, values: full, ownerRow, importId });
    const provisional = {
      ...(full as Record<string, unknown>),
      id,
      org_id: ctx.orgId,
      status: 'active',
      created_at: new Date(),
      [PENDING]: true,
    };
    this.matcher.remember(provisional as unknown as Provisional);
    return id;
  }

  static isPending(row: CustomerRow): boolean {
    return !!(row as Provisional)[PENDING];
  }

  /** Inserts what is pending in one statement, then audits and emits each new customer, in file order. */
  async flush(tx: Tx, ctx: Ctx): Promise<void> {
    const batch = this.pending;
    if (!batch.length) return;
    this.pending = [];
    const rows = await repo
      .insertMany(
        tx,
        ctx.orgId,
        batch.map((p) => ({ id: p.id, values: p.values })),
      )
      .catch((err) => {
        if (pgErrorCode(err) === PgCode.uniqueViolation)
          throw new AppError('conflict', { fields: { externalRef: { key: 'errors.conflict' } } });
        throw err;
      });
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const p of batch) {
      const row = byId.get(p.id)!;
      this.matcher.remember(row);
      await recordAudit(tx, ctx, {
        action: 'customer.create',
        entityType: 'customer',
        entityId: row.id,
        after: row,
        meta: { importId: p.importId },
      });
      const ref = { type: 'customer', id: row.id };
      await emit(tx, ctx, {
        type: 'customer.created',
        record: ref,
        data: { ...customerEventData(row), importId: p.importId, source: 'import' },
      });
      if (p.ownerRow && p.ownerRow.id !== ctx.actor.userId) {
        await emit(tx, ctx, {
          type: 'customer.assigned',
          record: ref,
          data: { ...customerEventData(row), previousOwnerId: null, importId: p.importId, source: 'import' },
        });
      }
    }
  }
}

const RowSchema = CustomerFields.partial();
const SKIP_DIFF = new Set(['search_tokens', 'name_normalized', 'name_pinyin']);

function schemaErrors(input: ImportRowInput): Record<string, FieldError> {
  const r = RowSchema.safeParse(input);
  const errors: Record<string, FieldError> = {};
  if (r.success) return errors;
  for (const issue of r.error.issues) {
    const field = issue.path[0] === 'custom' ? issue.path.join('.') : String(issue.path[0] ?? 'row');
    const key = /^validation\.[a-z_]+$/.test(issue.message)
      ? issue.message
      : field === 'age'
        ? 'validation.number'
        : 'validation.invalid';
    errors[field] ??= { key };
  }
  return errors;
}

/**
 * The existing customers a batch of rows can match, fetched (and locked) in one query, then kept current as
 * the batch writes: a file that names the same customer twice updates the row created a few lines above.
 */
export class ImportMatcher {
  private readonly byRef = new Map<string, CustomerRow>();
  private readonly byMobile = new Map<string, CustomerRow[]>();

  static async load(tx: Tx, orgId: string, inputs: ImportRowInput[]): Promise<ImportMatcher> {
    const refs = [...new Set(inputs.map((i) => i.externalRef?.trim()).filter((x): x is string => !!x))];
    const mobiles = [
      ...new Set(
        inputs
          .map((i) => (i.mobile ? normalizeMobile(String(i.mobile)) : null))
          .filter((x): x is string => !!x),
      ),
    ];
    const m = new ImportMatcher();
    if (!refs.length && !mobiles.length) return m;
    for (const r of await repo.lockImportMatches(tx, orgId, refs, mobiles)) m.remember(r);
    return m;
  }

  /** By external ref when given; else by mobile, skipping records that carry another external ref. */
  find(externalRef: string | undefined, mobile: string | null): CustomerRow | undefined {
    if (externalRef) {
      const hit = this.byRef.get(externalRef);
      if (hit) return hit;
    }
    if (!mobile) return undefined;
    return this.byMobile
      .get(mobile)
      ?.find((r) => r.status === 'active' && (!externalRef || r.external_ref === null));
  }

  remember(row: CustomerRow, before?: CustomerRow): void {
    if (before?.external_ref) this.byRef.delete(before.external_ref);
    if (before?.mobile) {
      const list = this.byMobile.get(before.mobile)?.filter((r) => r.id !== before.id) ?? [];
      this.byMobile.set(before.mobile, list);
    }
    if (row.external_ref) this.byRef.set(row.external_ref, row);
    if (row.mobile) {
      const list = (this.byMobile.get(row.mobile) ?? []).filter((r) => r.id !== row.id);
      list.push(row);
      list.sort(
        (a, b) =>
          new Date(a.created_at).getTime() - new Date(b.created_at).getTime() || (a.id < b.id ? -1 : 1),
      );
      this.byMobile.set(row.mobile, list);
    }
  }
}

function inScope(ctx: Ctx, row: CustomerRow): boolean {
  const s = customerScope(ctx);
  return (
    s.all ||
    row.owner_id === s.userId ||
    (row.team_id !== null && s.teamIds.includes(row.team_id)) ||
    (s.unassigned && !row.owner_id)
  );
}

function changedValues(before: CustomerRow, values: Writable): Writable {
  const out: Writable = {};
  for (const [col, v] of Object.entries(values) as [keyof Writable, unknown][]) {
    if (v === undefined || SKIP_DIFF.has(col)) continue;
    const old = (before as unknown as Record<string, unknown>)[col];
    if (canonicalJson(old ?? null) !== canonicalJson(v ?? null)) out[col] = v;
  }
  return out;
}

export function makeImportRow(deps: Deps) {
  return async function importRow(
    tx: Tx,
    ctx: Ctx,
    input: ImportRowInput,
    opts: ImportRowOptions,
  ): Promise<ImportRowResult> {
    const early = { ...opts.errors, ...(opts.prepared?.schema ?? schemaErrors(input)) };
    const invalid = (more: Record<string, FieldError> = {}): ImportRowResult | null => {
      const errors = { ...early, ...more };
      return Object.keys(errors).length ? { status: 'invalid', errors } : null;
    };
    const owner = opts.owner;
    if (owner && owner.id !== ctx.actor.userId && !can(ctx.actor, 'customer.assign')) {
      return invalid({ ownerEmail: { key: 'imports.errors.assign_forbidden' } })!;
    }
    const mobile = input.mobile ? normalizeMobile(String(input.mobile)) : null;
    const matcher = opts.matcher ?? (await ImportMatcher.load(tx, ctx.orgId, [input]));
    let existing = matcher.find(input.externalRef?.trim() || undefined, mobile);
    if (existing && DeferredCreates.isPending(existing) && opts.deferred) {
      // A row above in this batch creates this customer: write those first, then update the real row.
      await opts.deferred.flush(tx, ctx);
      existing = matcher.find(input.externalRef?.trim() || undefined, mobile);
    }
    const meta = { importId: opts.importId };

    if (existing) {
      if (existing.status !== 'active') return invalid({ externalRef: { key: 'imports.errors.inactive' } })!;
      if (!inScope(ctx, existing)) return invalid({ row: { key: 'imports.errors.out_of_scope' } })!;
      const prepared = prepareCustomer(input, opts.defs, existing);
      const bad = invalid(prepared.errors);
      if (bad) return bad;
      const changes = changedValues(existing, prepared.values);
      const newOwner = owner && owner.id !== existing.owner_id ? owner : null;
      if (newOwner)
        Object.assign(changes, {
          owner_id: newOwner.id,
          team_id: newOwner.team_ids[0] ?? null,
          assigned_at: new Date(),
        });
      if (!Object.keys(changes).length) return { status: 'unchanged', id: existing.id };
      for (const k of SKIP_DIFF)
        (changes as Record<string, unknown>)[k] = (prepared.values as Record<string, unknown>)[k];
      const after = await updateOr409(tx, ctx.orgId, existing.id, changes);
      await recordAudit(tx, ctx, {
        action: 'customer.update',
        entityType: 'customer',
        entityId: existing.id,
        before: existing,
        after,
        meta,
      });
      matcher.remember(after, existing);
      const ref = { type: 'customer', id: existing.id };
      await emit(tx, ctx, {
        type: 'customer.updated',
        record: ref,
        data: {
          ...customerEventData(after),
          changed: changedFields(existing, after),
          importId: opts.importId,
          source: 'import',
        },
      });
      if (newOwner) {
        await emit(tx, ctx, {
          type: 'customer.assigned',
          record: ref,
          data: {
            ...customerEventData(after),
            previousOwnerId: existing.owner_id,
            importId: opts.importId,
            source: 'import',
          },
        });
      }
      return { status: 'updated', id: existing.id };
    }

    const prepared = opts.prepared?.create ?? prepareCustomer({ kind: 'person', ...input }, opts.defs);
    const bad = invalid(prepared.errors);
    if (bad) return bad;
    const ownerRow = owner ?? opts.creatorOwner;
    if (opts.deferred)
      return { status: 'created', id: opts.deferred.add(ctx, prepared.values, ownerRow, opts.importId) };
    const row = await insertOr409(tx, ctx.orgId, {
      ...prepared.values,
      owner_id: ownerRow?.id ?? null,
      team_id: ownerRow?.team_ids[0] ?? null,
      assigned_at: ownerRow ? new Date() : null,
      created_by: ctx.actor.userId,
    });
    await recordAudit(tx, ctx, {
      action: 'customer.create',
      entityType: 'customer',
      entityId: row.id,
      after: row,
      meta,
    });
    matcher.remember(row);
    const ref = { type: 'customer', id: row.id };
    await emit(tx, ctx, {
      type: 'customer.created',
      record: ref,
      data: { ...customerEventData(row), importId: opts.importId, source: 'import' },
    });
    if (ownerRow && ownerRow.id !== ctx.actor.userId) {
      await emit(tx, ctx, {
        type: 'customer.assigned',
        record: ref,
        data: { ...customerEventData(row), previousOwnerId: null, importId: opts.importId, source: 'import' },
      });
    }
    return { status: 'created', id: row.id };
  };
}

export type ImportRow = ReturnType<typeof makeImportRow>;
