import type { Queryable } from '../../platform/db/db.ts';
import { fetchPage, type PageRequest, sortOf } from '../../platform/db/paging.ts';

export interface AuditEventRow {
  org_id: string;
  id: string;
  seq: string | number;
  occurred_at: Date;
  actor_type: string;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  changes: Record<string, unknown>;
  meta: Record<string, unknown>;
  request_id: string | null;
  chain_seq: string | number | null;
  hash: string | null;
}

/** Filters of the audit list; ids are uuids (the service answers an empty page for anything else). */
export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  action?: string;
  from?: Date;
  to?: Date;
}

/** Newest first: the org's audit sequence, descending. */
const AUDIT_SORT = sortOf('audit', [{ sql: 'e.seq', type: 'bigint', desc: true }], 'e.id');

export const auditRepo = {
  /** One page of the org's audit events, newest first. */
  async eventsPage(q: Queryable, orgId: string, f: AuditFilter, page: PageRequest) {
    const params: unknown[] = [orgId];
    const where = ['e.org_id = $1'];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.entityType) add('e.entity_type = ?', f.entityType);
    if (f.entityId) add('e.entity_id = ?', f.entityId);
    if (f.actorId) add('e.actor_id = ?', f.actorId);
    if (f.action) add('e.action = ?', f.action);
    if (f.from) add('e.occurred_at >= ?', f.from);
    if (f.to) add('e.occurred_at < ?', f.to);
    return fetchPage<AuditEventRow>(
      q,
      AUDIT_SORT,
      page,
      params,
      (k) =>
        `SELECT e.*, ${k.columns} FROM audit_events e WHERE ${where.join(' AND ')} AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
    );
  },
};
