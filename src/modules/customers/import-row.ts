import { recordAudit } from '../../platform/audit/audit.ts';
import { canonicalJson } from '../../platform/audit/canonical.ts';
import { type Ctx, can } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/db.ts';
import type { FieldError } from '../../platform/http/errors.ts';
import type { UserWithRole } from '../identity/index.ts';
import { emit } from '../../platform/events/events.ts';
import { changedFields, customerEventData } from './customers.events.ts';
import type { CustomFieldDef } from './custom-fields.ts';
import { type CustomerInput, prepareCustomer } from './customer-input.ts';
import { customerScope } from './customers.policy.ts';
import type { CustomerRow, Writable } from './customers.repo.ts';
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
}

const RowSchema = CustomerFields.partial();
const SKIP_DIFF = new Set(['search_tokens', 'name_normalized']);

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
    const rows = await tx.query<CustomerRow>(
      `SELECT * FROM customers WHERE org_id = $1 AND (external_ref = ANY($2::text[]) OR (mobile = ANY($3::text[]) AND status = 'active'))
       ORDER BY created_at, id FOR UPDATE`,
      [orgId, refs, mobiles],
    );
    for (const r of rows.rows) m.remember(r);
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
    const early = { ...opts.errors, ...schemaErrors(input) };
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
    const existing = matcher.find(input.externalRef?.trim() || undefined, mobile);
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
        data: { ...customerEventData(after), changed: changedFields(existing, after), importId: opts.importId, source: 'import' },
      });
      if (newOwner) {
        await emit(tx, ctx, {
          type: 'customer.assigned',
          record: ref,
          data: { ...customerEventData(after), previousOwnerId: existing.owner_id, importId: opts.importId, source: 'import' },
        });
      }
      return { status: 'updated', id: existing.id };
    }

    const prepared = prepareCustomer({ kind: 'person', ...input }, opts.defs);
    const bad = invalid(prepared.errors);
    if (bad) return bad;
    const ownerRow = owner ?? opts.creatorOwner;
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
