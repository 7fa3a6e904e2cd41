import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/db.ts';
import type { Page, PageRequest } from '../../platform/db/paging.ts';
import { isUuid } from '../../platform/http/errors.ts';
import type { RecordRegistry } from '../../platform/records/registry.ts';
import { type MaskableField, maskedFields, maskField } from '../customers/index.ts';
import { authorize } from './audit.policy.ts';
import { type AuditEventRow, type AuditFilter, auditRepo as repo } from './audit.repo.ts';

/** Reading the audit trail (writing and sealing it is platform code, in every service's transaction). */
export type AuditEventView = AuditEventRow & { entity: { title: string; route: string } | null };

/** Stored columns of customers and contacts that hold a personal field (customer field policy). */
const PERSONAL_COLUMNS: Record<string, MaskableField> = {
  mobile: 'mobile',
  phone: 'phone',
  email: 'email',
  address: 'address',
  birthday: 'birthday',
  id_number: 'idNumber',
};

/** The values of a customer's or contact's change, masked where the reader sees that field masked. */
function maskChanges(
  changes: Record<string, unknown>,
  masked: ReadonlySet<MaskableField>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(changes)) {
    // The age tells the masked birth year roughly: its values are hidden with the birthday.
    if (k === 'age' && masked.has('birthday')) {
      out[k] = Array.isArray(v) ? v.map(() => null) : null;
      continue;
    }
    const field = PERSONAL_COLUMNS[k];
    out[k] =
      field && masked.has(field) && Array.isArray(v)
        ? v.map((x) => (typeof x === 'string' ? maskField(field, x) : x))
        : v;
  }
  return out;
}

export function makeAuditService(db: Db, deps: { records?: RecordRegistry } = {}) {
  return {
    /**
     * The org's events, newest first; an id filter that is not a uuid matches nothing. Events about a registered
     * record type carry its title and web route (through the record registry), whatever the record's state now.
     */
    async list(ctx: Ctx, filter: AuditFilter, page: PageRequest): Promise<Page<AuditEventView>> {
      authorize(ctx, 'audit.list');
      for (const k of ['entityId', 'actorId'] as const) {
        if (filter[k] && !isUuid(filter[k])) return { items: [], nextCursor: null };
      }
      const r = await repo.eventsPage(db, ctx.orgId, filter, page);
      const refs = r.items
        .filter((e) => e.entity_id && deps.records?.has(e.entity_type))
        .map((e) => ({ type: e.entity_type, id: e.entity_id! }));
      const found =
        refs.length && deps.records ? await deps.records.loadRefs(db, ctx.orgId, refs) : new Map();
      const masked = maskedFields(ctx);
      return {
        ...r,
        items: r.items.map((e0) => {
          const e =
            masked.size && (e0.entity_type === 'customer' || e0.entity_type === 'contact')
              ? { ...e0, changes: maskChanges(e0.changes, masked) }
              : e0;
          const rec = e.entity_id ? found.get(`${e.entity_type}:${e.entity_id}`) : undefined;
          const route = rec && deps.records?.route({ type: e.entity_type, id: rec.id });
          return { ...e, entity: rec && route ? { title: rec.title, route } : null };
        }),
      };
    },
  };
}

export type AuditService = ReturnType<typeof makeAuditService>;
