import { z } from 'zod';
import { type App, ctxOf } from '../../platform/http/app.ts';
import { errors, iso, page, pageQuery } from '../../platform/http/schemas.ts';
import type { AuditEventView, AuditService } from './audit.service.ts';

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
    chainSeq: z
      .number()
      .nullable()
      .describe("position in the org's hash chain; null until the sealer chained it (within seconds)"),
    hash: z.string().nullable(),
    entity: z
      .object({ title: z.string(), route: z.string() })
      .nullable()
      .describe(
        'the record the event is about, when its type is registered: its title and the web path that opens it',
      ),
  })
  .meta({ id: 'AuditEvent' });

const Query = z
  .object({
    entityType: z.string().max(50).optional(),
    entityId: z.string().max(40).optional(),
    actorId: z.string().max(40).optional(),
    action: z.string().max(80).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .extend(pageQuery.shape);

/** The audit trail, read-only: admins and managers (audit.read) browse their org's events, newest first. */
export async function auditRoutes(app: App, audit: AuditService) {
  app.get(
    '/api/v1/audit-events',
    { schema: { tags: ['Audit'], querystring: Query, response: { 200: page(EventOut), ...errors } } },
    async (req) => {
      const { from, to, limit, cursor, ...rest } = req.query;
      const rows = await audit.list(
        ctxOf(req),
        { ...rest, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined },
        { limit, cursor },
      );
      return { items: rows.items.map(presentEvent), nextCursor: rows.nextCursor };
    },
  );
}

function presentEvent(e: AuditEventView) {
  return {
    id: e.id,
    seq: Number(e.seq),
    occurredAt: iso(e.occurred_at)!,
    actorType: e.actor_type,
    actorId: e.actor_id,
    action: e.action,
    entityType: e.entity_type,
    entityId: e.entity_id,
    changes: e.changes,
    meta: e.meta,
    requestId: e.request_id,
    chainSeq: e.chain_seq === null ? null : Number(e.chain_seq),
    hash: e.hash ?? null,
    entity: e.entity,
  };
}
