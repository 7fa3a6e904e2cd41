import { z } from 'zod';
import { type App, ctxOf } from '../../platform/http/app.ts';
import { errors, idParams, iso, page, pageQuery } from '../../platform/http/schemas.ts';
import type { NotificationsModule } from './index.ts';
import type { DeliveryRow, EndpointRow } from './webhooks.repo.ts';

const EndpointOut = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    active: z.boolean(),
    description: z.string(),
    version: z.number(),
    createdAt: z.string(),
    updatedAt: z.string(),
    secret: z
      .string()
      .optional()
      .describe('only in the answer that created the endpoint or rotated its secret'),
  })
  .meta({ id: 'WebhookEndpoint' });

const DeliveryOut = z
  .object({
    id: z.string(),
    endpointId: z.string(),
    event: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed', 'refused']),
    attempts: z.number(),
    lastStatusCode: z.number().nullable(),
    lastError: z.string().nullable(),
    lastAttemptAt: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'WebhookDelivery' });

const presentEndpoint = (e: EndpointRow, withSecret = false): z.infer<typeof EndpointOut> => ({
  id: e.id,
  url: e.url,
  events: e.events,
  active: e.active,
  description: e.description,
  version: e.version,
  createdAt: iso(e.created_at) ?? '',
  updatedAt: iso(e.updated_at) ?? '',
  ...(withSecret ? { secret: e.secret } : {}),
});

const presentDelivery = (d: DeliveryRow): z.infer<typeof DeliveryOut> => ({
  id: d.id,
  endpointId: d.endpoint_id,
  event: d.event,
  status: d.status,
  attempts: d.attempts,
  lastStatusCode: d.last_status_code,
  lastError: d.last_error,
  lastAttemptAt: iso(d.last_attempt_at),
  nextAttemptAt: iso(d.next_attempt_at),
  deliveredAt: iso(d.delivered_at),
  createdAt: iso(d.created_at) ?? '',
});

const EndpointIn = z.object({
  url: z.string().trim().min(1).max(2000),
  events: z.array(z.string().max(100)).min(1).max(100),
  description: z.string().max(500).optional(),
  active: z.boolean().optional(),
});
const EndpointPatch = EndpointIn.partial().extend({ rotateSecret: z.boolean().optional() });
const SettingsOut = z.object({ allowPrivateTargets: z.boolean() }).meta({ id: 'WebhookSettings' });

export async function webhooksRoutes(app: App, mod: NotificationsModule) {
  const tags = ['Webhooks'];
  const svc = mod.webhooks;

  app.get(
    '/api/v1/webhooks',
    { schema: { tags, querystring: pageQuery, response: { 200: page(EndpointOut), ...errors } } },
    async (req) => {
      const r = await svc.list(ctxOf(req), req.query);
      return { ...r, items: r.items.map((e) => presentEndpoint(e)) };
    },
  );

  app.post(
    '/api/v1/webhooks',
    {
      schema: {
        tags,
        description:
          'Creates an endpoint. The answer carries the signing secret, shown only this once. Deliveries are POSTs with ' +
          '`X-Kept-Event`, `X-Kept-Delivery` (for de-duplication) and `X-Kept-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.',
        body: EndpointIn,
        response: { 201: EndpointOut, ...errors },
      },
    },
    async (req, reply) => {
      const e = await svc.create(ctxOf(req), req.body);
      reply.status(201).header('location', `/api/v1/webhooks/${e.id}`);
      return presentEndpoint(e, true);
    },
  );

  app.get(
    '/api/v1/webhooks/settings',
    { schema: { tags, response: { 200: SettingsOut, ...errors } } },
    async (req) => svc.settings(ctxOf(req)),
  );

  app.put(
    '/api/v1/webhooks/settings',
    {
      schema: {
        tags,
        description:
          'allowPrivateTargets: deliver to loopback, private and link-local addresses (refused by default).',
        body: z.object({ allowPrivateTargets: z.boolean() }),
        response: { 200: SettingsOut, ...errors },
      },
    },
    async (req) => svc.updateSettings(ctxOf(req), req.body),
  );

  app.get(
    '/api/v1/webhooks/:id',
    { schema: { tags, params: idParams, response: { 200: EndpointOut, ...errors } } },
    async (req) => presentEndpoint(await svc.get(ctxOf(req), req.params.id)),
  );

  app.patch(
    '/api/v1/webhooks/:id',
    { schema: { tags, params: idParams, body: EndpointPatch, response: { 200: EndpointOut, ...errors } } },
    async (req) =>
      presentEndpoint(await svc.update(ctxOf(req), req.params.id, req.body), req.body.rotateSecret === true),
  );

  app.delete(
    '/api/v1/webhooks/:id',
    { schema: { tags, params: idParams, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await svc.remove(ctxOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/webhooks/:id/deliveries',
    {
      schema: {
        tags,
        params: idParams,
        description: 'Newest first.',
        querystring: pageQuery,
        response: { 200: page(DeliveryOut), ...errors },
      },
    },
    async (req) => {
      const r = await svc.deliveries(ctxOf(req), req.params.id, req.query);
      return { ...r, items: r.items.map(presentDelivery) };
    },
  );

  app.post(
    '/api/v1/webhooks/:id/test',
    {
      schema: {
        tags,
        description: 'Queues a `webhook.test` delivery to this endpoint.',
        params: idParams,
        response: { 202: DeliveryOut, ...errors },
      },
    },
    async (req, reply) => {
      reply.status(202);
      return presentDelivery(await svc.test(ctxOf(req), req.params.id));
    },
  );
}
