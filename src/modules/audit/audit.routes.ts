import { z } from 'zod';
import { can } from '../../platform/context.ts';
import type { Db } from '../../platform/db/db.ts';
import { fetchPage, sortOf } from '../../platform/db/paging.ts';
import { type App, ctxOf } from '../../platform/http/app.ts';
import { AppError, isUuid } from '../../platform/http/errors.ts';
import { errors, iso, page, pageQuery } from '../../platform/http/schemas.ts';

const EventOut = z
  .object({
    id: z.string(),
    seq: z.number(),
    occurredAt: z.string(),
    actorType: z.string(),
    actorId: z.string().nullable(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string().nullable(),
    changes: z.record(z.string(), z.unknown()),
    meta: z.record(z.string(), z.unknown()),
    requestId: z.string().nullable(),
    chainSeq: z.number().nullable().describe("position in the org's hash chain; null until the sealer chained it (within seconds)"),
    hash: z.string().nullable(),
  })
  .meta({ id: 'AuditEvent' });

const Query = z.object({
  entityType: z.string().max(50).optional(),
  entityId: z.string().max(40).optional(),
  actorId: z.string().max(40).optional(),
  action: z.string().max(80).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
}).extend(pageQuery.shape);

/** Newest first: the org's audit sequence, descending. */
const AUDIT_SORT = sortOf('audit', [{ sql: 'e.seq', type: 'bigint', desc: true }], 'e.id');

/** The audit trail, read-only: admins and managers (audit.read) browse their org's events, newest first. */
export async function auditRoutes(app: App, db: Db) {
  app.get(
    '/api/v1/audit-events',
    { schema: { tags: ['Audit'], querystring: Query, response: { 200: page(EventOut), ...errors } } },
    async (req) => {
      const ctx = ctxOf(req);
      if (!can(ctx.actor, 'audit.read')) throw new AppError('forbidden');
      const q = req.query;
      const params: unknown[] = [ctx.orgId];
      const where = ['e.org_id = $1'];
      const add = (sql: string, v: unknown) => {
        params.push(v);
        where.push(sql.replace('?', `$${params.length}`));
      };
      for (const k of ['entityId', 'actorId'] as const) {
        if (q[k] && !isUuid(q[k]!)) return { items: [], nextCursor: null };
      }
      if (q.entityType) add('e.entity_type = ?', q.entityType);
      if (q.entityId) add('e.entity_id = ?', q.entityId);
      if (q.actorId) add('e.actor_id = ?', q.actorId);
      if (q.action) add('e.action = ?', q.action);
      if (q.from) add('e.occurred_at >= ?', new Date(q.from));
      if (q.to) add('e.occurred_at < ?', new Date(q.to));
      const rows = await fetchPage<Record<string, unknown>>(
        db,
        AUDIT_SORT,
        q,
        params,
        (k) => `SELECT e.*, ${k.columns} FROM audit_events e WHERE ${where.join(' AND ')} AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
      );
      return {
        items: rows.items.map((e) => ({
          id: e.id as string,
          seq: Number(e.seq),
          occurredAt: iso(e.occurred_at as Date)!,
          actorType: e.actor_type as string,
          actorId: e.actor_id as string | null,
          action: e.action as string,
          entityType: e.entity_type as string,
          entityId: e.entity_id as string | null,
          changes: e.changes as Record<string, unknown>,
          meta: e.meta as Record<string, unknown>,
          requestId: e.request_id as string | null,
          chainSeq: e.chain_seq === null ? null : Number(e.chain_seq),
          hash: (e.hash as string | null) ?? null,
        })),
        nextCursor: rows.nextCursor,
      };
    },
  );
}
