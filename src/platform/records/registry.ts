import type { Ctx } from '../context.ts';
import type { Queryable, Tx } from '../db/db.ts';
import { fieldError, isUuid } from '../http/errors.ts';
import type { Locale } from '../i18n/i18n.ts';

/**
 * The record-type registry. Every module registers its record types once (customer now; case, job, quote,
 * order, shipment, project later), and everything that points at "a record" — tasks, promises, processes,
 * notifications, approvals, audit — goes through here: whether it exists in the org, whether the actor may see
 * it, the customer it belongs to (quiet hours and contact slots apply to any record), facts for process guards,
 * a display title and the web route that opens it.
 */
export interface RecordSummary {
  type: string;
  id: string;
  title: string;
  ownerId: string | null;
  teamId: string | null;
  /** The customer this record belongs to (itself for a customer), for quiet hours and contact slots. */
  customerId: string | null;
  /** Facts process guards and conditions may read (e.g. { memberLevel, amount }). */
  facts: Record<string, unknown>;
}

export interface RecordType {
  type: string;
  label: Record<Locale, string>;
  /** The web app's path that opens one record, e.g. `/customers/<id>`. */
  route(id: string): string;
  /** Records by id regardless of the actor (workers act as the system); unknown ids are left out. */
  loadMany(q: Queryable, orgId: string, ids: string[]): Promise<RecordSummary[]>;
  /** Those of the ids the actor may see (row scope). */
  visibleMany(q: Queryable, ctx: Ctx, ids: string[]): Promise<RecordSummary[]>;
  /** Gives the record a new owner (escalation), audited by the owning module. */
  reassign?(tx: Tx, ctx: Ctx, id: string, userId: string): Promise<void>;
}

export interface RecordRef {
  type: string;
  id: string;
}

export class RecordRegistry {
  private readonly types = new Map<string, RecordType>();

  register(t: RecordType): this {
    this.types.set(t.type, t);
    return this;
  }

  has(type: string): boolean {
    return this.types.has(type);
  }

  get(type: string): RecordType | undefined {
    return this.types.get(type);
  }

  list(): RecordType[] {
    return [...this.types.values()];
  }

  async load(q: Queryable, orgId: string, ref: RecordRef): Promise<RecordSummary | null> {
    const t = this.types.get(ref.type);
    if (!t || !isUuid(ref.id)) return null;
    return (await t.loadMany(q, orgId, [ref.id.toLowerCase()]))[0] ?? null;
  }

  async visible(q: Queryable, ctx: Ctx, ref: RecordRef): Promise<RecordSummary | null> {
    const t = this.types.get(ref.type);
    if (!t || !isUuid(ref.id)) return null;
    return (await t.visibleMany(q, ctx, [ref.id.toLowerCase()]))[0] ?? null;
  }

  /** Many records of mixed types, keyed `type:id`, regardless of the actor. */
  async loadRefs(q: Queryable, orgId: string, refs: RecordRef[]): Promise<Map<string, RecordSummary>> {
    return this.collect(refs, (t, ids) => t.loadMany(q, orgId, ids));
  }

  /** Many records of mixed types the actor may see, keyed `type:id`. */
  async visibleRefs(q: Queryable, ctx: Ctx, refs: RecordRef[]): Promise<Map<string, RecordSummary>> {
    return this.collect(refs, (t, ids) => t.visibleMany(q, ctx, ids));
  }

  private async collect(
    refs: RecordRef[],
    fetch: (t: RecordType, ids: string[]) => Promise<RecordSummary[]>,
  ) {
    const byType = new Map<string, Set<string>>();
    for (const r of refs) {
      if (!this.types.has(r.type) || !isUuid(r.id)) continue;
      const set = byType.get(r.type) ?? new Set<string>();
      set.add(r.id.toLowerCase());
      byType.set(r.type, set);
    }
    const out = new Map<string, RecordSummary>();
    for (const [type, ids] of byType) {
      for (const s of await fetch(this.types.get(type)!, [...ids])) out.set(`${type}:${s.id}`, s);
    }
    return out;
  }

  /**
   * A record named in a request body (a task's or promise's related record): unknown type, unknown id, another
   * org's id or a record the actor may not see all answer 422 on the given fields, never 404 or 500.
   */
  async linkable(
    q: Queryable,
    ctx: Ctx,
    ref: RecordRef,
    fields: { type: string; id: string },
  ): Promise<RecordSummary> {
    if (!this.types.has(ref.type)) throw fieldError(fields.type, 'validation.option', { value: ref.type });
    if (!isUuid(ref.id)) throw fieldError(fields.id, 'validation.record_not_found');
    const found = await this.visible(q, ctx, ref);
    if (!found) throw fieldError(fields.id, 'validation.record_not_found');
    return found;
  }

  /** The web path of a record, or null when its type is unknown. */
  route(ref: RecordRef): string | null {
    return this.types.get(ref.type)?.route(ref.id) ?? null;
  }
}
