import { z } from 'zod';
import { type App, ctxOf } from '../../platform/http/app.ts';
import { errors, etag, idParams, ifMatchVersion, iso, page, pageQuery } from '../../platform/http/schemas.ts';
import type { PromiseRow } from './promises.repo.ts';
import type { PromisesService } from './promises.service.ts';

const Instant = z.iso.datetime({ offset: true });
export const PromiseOut = z
  .object({
    id: z.string(),
    what: z.string(),
    customerId: z.string().nullable(),
    contactId: z.string().nullable(),
    toText: z.string(),
    promiserId: z.string(),
    dueAt: z.string(),
    relatedType: z.string().nullable(),
    relatedId: z.string().nullable(),
    status: z.enum(['open', 'kept', 'broken', 'cancelled']),
    note: z.string().nullable(),
    keptAt: z.string().nullable(),
    brokenAt: z.string().nullable(),
    version: z.number(),
    createdAt: z.string(),
  })
  .meta({ id: 'Promise' });

export const presentPromise = (p: PromiseRow): z.infer<typeof PromiseOut> => ({
  id: p.id,
  what: p.what,
  customerId: p.customer_id,
  contactId: p.contact_id,
  toText: p.to_text,
  promiserId: p.promiser_id,
  dueAt: iso(p.due_at)!,
  relatedType: p.related_type,
  relatedId: p.related_id,
  status: p.status,
  note: p.note,
  keptAt: iso(p.kept_at),
  brokenAt: iso(p.broken_at),
  version: p.version,
  createdAt: iso(p.created_at)!,
});

export async function promisesRoutes(app: App, svc: PromisesService) {
  const tags = ['Promises'];
  app.get(
    '/api/v1/promises',
    {
      schema: {
        tags,
        description: 'The soonest due first.',
        querystring: pageQuery.extend({
          promiser: z
            .string()
            .optional()
            .describe("'me' (default), 'team', 'all' or a user id (others need task.read.team)"),
          status: z.enum(['open', 'kept', 'broken', 'cancelled']).optional(),
          customerId: z.string().optional(),
        }),
        response: { 200: page(PromiseOut), ...errors },
      },
    },
    async (req) => {
      const { limit, cursor, ...f } = req.query;
      const r = await svc.list(ctxOf(req), f, { limit, cursor });
      return { ...r, items: r.items.map(presentPromise) };
    },
  );
  app.post(
    '/api/v1/promises',
    {
      schema: {
        tags,
        description:
          'A promise to a customer (customerId) or to someone named in toText; an open promise breaks at dueAt.',
        body: z.object({
          what: z.string().trim().min(1).max(1000),
          customerId: z.string().optional(),
          contactId: z.string().optional(),
          toText: z.string().max(300).optional(),
          promiserId: z.string().optional(),
          dueAt: Instant,
          relatedType: z.string().max(50).optional(),
          relatedId: z.string().optional(),
        }),
        response: { 201: PromiseOut, ...errors },
      },
    },
    async (req, reply) => {
      const p = await svc.create(ctxOf(req), req.body);
      reply.status(201).header('etag', etag(p.version)).header('location', `/api/v1/promises/${p.id}`);
      return presentPromise(p);
    },
  );
  app.get(
    '/api/v1/promises/:id',
    { schema: { tags, params: idParams, response: { 200: PromiseOut, ...errors } } },
    async (req, reply) => {
      const p = await svc.get(ctxOf(req), req.params.id);
      reply.header('etag', etag(p.version));
      return presentPromise(p);
    },
  );
  app.patch(
    '/api/v1/promises/:id',
    {
      schema: {
        tags,
        description:
          'status kept (note required) or cancelled; dueAt reschedules (the old due time stays in the audit trail).',
        params: idParams,
        body: z.object({
          status: z.enum(['kept', 'cancelled']).optional(),
          note: z.string().max(2000).optional(),
          dueAt: Instant.optional(),
          what: z.string().trim().min(1).max(1000).optional(),
          toText: z.string().max(300).optional(),
        }),
        response: { 200: PromiseOut, ...errors },
      },
    },
    async (req, reply) => {
      const p = await svc.update(
        ctxOf(req),
        req.params.id,
        req.body,
        ifMatchVersion(req.headers['if-match']),
      );
      reply.header('etag', etag(p.version));
      return presentPromise(p);
    },
  );
}
