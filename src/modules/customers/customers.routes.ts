import { z } from 'zod';
import { type App, ctxOf } from '../../platform/http/app.ts';
import {
  errors,
  etag,
  idParams,
  ifMatchVersion,
  page,
  pageQuery,
  pageWithTotal,
} from '../../platform/http/schemas.ts';
import type { CustomFieldDef } from './custom-fields.ts';
import {
  ActivityIn,
  AssignIn,
  ContactFields,
  ContactOut,
  CustomerCreate,
  CustomerErrorOut,
  CustomerOut,
  CustomerPatch,
  CustomFieldIn,
  CustomFieldOut,
  ListQuery,
  MaskableFieldEnum,
  TimelineItemOut,
} from './customers.schemas.ts';
import type { CustomersService } from './index.ts';
import { MERGE_TAKEABLE, type MergeTakeable } from './merge-assign.service.ts';

const presentDef = (d: CustomFieldDef) => ({
  id: d.id,
  entity: d.entity,
  key: d.key,
  label: d.label as Record<string, string>,
  type: d.type,
  options: d.options.map((o) => ({ value: o.value, label: o.label as Record<string, string> })),
  required: d.required,
  position: d.position,
  active: d.active,
  version: d.version,
});

export async function customersRoutes(app: App, svc: CustomersService) {
  const tags = ['Customers'];

  app.get(
    '/api/v1/customers',
    {
      schema: {
        tags,
        description:
          'One page of customers. `total` (capped, see `totalCapped`) comes with the first page only.',
        querystring: ListQuery,
        response: { 200: pageWithTotal(CustomerOut), ...errors },
      },
    },
    async (req) => svc.list(ctxOf(req), req.query),
  );

  app.post(
    '/api/v1/customers',
    {
      schema: {
        tags,
        body: CustomerCreate,
        response: { 201: CustomerOut, ...errors, 409: CustomerErrorOut },
      },
    },
    async (req, reply) => {
      const c = await svc.create(ctxOf(req), req.body);
      reply.status(201).header('etag', etag(c.version)).header('location', `/api/v1/customers/${c.id}`);
      return c;
    },
  );

  app.get(
    '/api/v1/customers/:id',
    { schema: { tags, params: idParams, response: { 200: CustomerOut, ...errors } } },
    async (req, reply) => {
      const c = await svc.get(ctxOf(req), req.params.id);
      reply.header('etag', etag(c.version));
      return c;
    },
  );

  app.patch(
    '/api/v1/customers/:id',
    {
      schema: {
        tags,
        description: 'Send If-Match with the ETag you read: a stale version answers 412 and changes nothing.',
        params: idParams,
        body: CustomerPatch,
        response: { 200: CustomerOut, ...errors, 409: CustomerErrorOut },
      },
    },
    async (req, reply) => {
      const c = await svc.update(
        ctxOf(req),
        req.params.id,
        req.body,
        ifMatchVersion(req.headers['if-match']),
      );
      reply.header('etag', etag(c.version));
      return c;
    },
  );

  app.delete(
    '/api/v1/customers/:id',
    { schema: { tags, params: idParams, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await svc.remove(ctxOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/customers/:id/reveal',
    {
      schema: {
        tags,
        description:
          'Shows personal fields in full to a role that sees them masked: `field` (one), `fields` (several) or ' +
          'neither (all six). Needs customer.pii.reveal; the reason and the fields are written to the audit trail.',
        params: idParams,
        body: z.object({
          reason: z.string().trim().min(2, { error: 'validation.reason' }).max(500),
          field: MaskableFieldEnum.optional(),
          fields: z.array(MaskableFieldEnum).min(1).max(6).optional(),
        }),
        response: {
          200: z
            .object({
              mobile: z.string().nullable().optional(),
              phone: z.string().nullable().optional(),
              email: z.string().nullable().optional(),
              address: z.string().nullable().optional(),
              birthday: z.string().nullable().optional(),
              idNumber: z.string().nullable().optional(),
            })
            .meta({ id: 'RevealedFields' }),
          ...errors,
        },
      },
    },
    async (req) => {
      const { reason, field, fields } = req.body;
      const named = [...(field ? [field] : []), ...(fields ?? [])];
      return svc.reveal(ctxOf(req), req.params.id, reason, named.length ? named : undefined);
    },
  );

  app.post(
    '/api/v1/customers/:id/merge',
    {
      schema: {
        tags,
        description:
          'Merges the customer `sourceId` into this one. Both histories are kept; the source points at the survivor. `take` names the fields whose value the survivor takes from the source (the others keep its own, gaps filled from the source).',
        params: idParams,
        body: z.object({
          sourceId: z.string(),
          take: z
            .array(z.enum(Object.keys(MERGE_TAKEABLE) as [MergeTakeable, ...MergeTakeable[]]))
            .max(30)
            .optional(),
        }),
        response: { 200: CustomerOut, ...errors },
      },
    },
    async (req) => svc.merge(ctxOf(req), req.params.id, req.body.sourceId, req.body.take),
  );

  app.post(
    '/api/v1/customers/assign',
    {
      schema: {
        tags,
        description:
          'Assigns selected (customerIds) or filtered customers to one agent or to the least-loaded agent with a skill.',
        body: AssignIn,
        response: {
          200: z.object({
            assigned: z.number(),
            assignments: z.array(
              z.object({ customerId: z.string(), ownerId: z.string(), ownerName: z.string() }),
            ),
            batchId: z.string(),
          }),
          ...errors,
        },
      },
    },
    async (req) => svc.assign(ctxOf(req), req.body),
  );

  app.get(
    '/api/v1/customers/:id/timeline',
    {
      schema: {
        tags,
        description: "Newest first: activities and the record's history.",
        params: idParams,
        querystring: pageQuery,
        response: { 200: page(TimelineItemOut), ...errors },
      },
    },
    async (req) => svc.timeline(ctxOf(req), req.params.id, req.query),
  );

  app.post(
    '/api/v1/customers/:id/activities',
    {
      schema: {
        tags,
        params: idParams,
        body: ActivityIn,
        response: { 201: z.object({ id: z.string(), kind: z.string(), occurredAt: z.string() }), ...errors },
      },
    },
    async (req, reply) => {
      const a = await svc.addActivity(ctxOf(req), req.params.id, req.body);
      reply.status(201);
      return { id: a.id, kind: a.kind, occurredAt: a.occurred_at.toISOString() };
    },
  );

  app.get(
    '/api/v1/customers/:id/contacts',
    {
      schema: {
        tags,
        params: idParams,
        querystring: pageQuery,
        response: { 200: page(ContactOut), ...errors },
      },
    },
    async (req) => svc.contacts.list(ctxOf(req), req.params.id, req.query),
  );

  const ctags = ['Contacts'];
  app.get(
    '/api/v1/contacts',
    {
      schema: {
        tags: ctags,
        querystring: pageQuery.extend({ customerId: z.string() }),
        response: { 200: page(ContactOut), ...errors },
      },
    },
    async (req) => svc.contacts.list(ctxOf(req), req.query.customerId, req.query),
  );
  app.post(
    '/api/v1/contacts',
    { schema: { tags: ctags, body: ContactFields, response: { 201: ContactOut, ...errors } } },
    async (req, reply) => {
      const c = await svc.contacts.create(ctxOf(req), req.body);
      reply.status(201).header('etag', etag(c.version));
      return c;
    },
  );
  app.get(
    '/api/v1/contacts/:id',
    { schema: { tags: ctags, params: idParams, response: { 200: ContactOut, ...errors } } },
    async (req, reply) => {
      const c = await svc.contacts.get(ctxOf(req), req.params.id);
      reply.header('etag', etag(c.version));
      return c;
    },
  );
  app.patch(
    '/api/v1/contacts/:id',
    {
      schema: {
        tags: ctags,
        params: idParams,
        body: ContactFields.omit({ customerId: true }).partial(),
        response: { 200: ContactOut, ...errors },
      },
    },
    async (req, reply) => {
      const c = await svc.contacts.update(
        ctxOf(req),
        req.params.id,
        req.body,
        ifMatchVersion(req.headers['if-match']),
      );
      reply.header('etag', etag(c.version));
      return c;
    },
  );
  app.delete(
    '/api/v1/contacts/:id',
    { schema: { tags: ctags, params: idParams, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await svc.contacts.remove(ctxOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  const ftags = ['Custom fields'];
  app.get(
    '/api/v1/custom-fields',
    {
      schema: {
        tags: ftags,
        querystring: pageQuery.extend({ entity: z.enum(['customer', 'contact']).default('customer') }),
        response: { 200: page(CustomFieldOut), ...errors },
      },
    },
    async (req) => {
      const r = await svc.customFields.list(ctxOf(req), req.query.entity, req.query);
      return { ...r, items: r.items.map(presentDef) };
    },
  );
  app.post(
    '/api/v1/custom-fields',
    { schema: { tags: ftags, body: CustomFieldIn, response: { 201: CustomFieldOut, ...errors } } },
    async (req, reply) => {
      reply.status(201);
      return presentDef(await svc.customFields.create(ctxOf(req), req.body));
    },
  );
  app.patch(
    '/api/v1/custom-fields/:id',
    {
      schema: {
        tags: ftags,
        params: idParams,
        body: CustomFieldIn.omit({ entity: true, key: true, type: true })
          .partial()
          .extend({ active: z.boolean().optional() }),
        response: { 200: CustomFieldOut, ...errors },
      },
    },
    async (req) => presentDef(await svc.customFields.update(ctxOf(req), req.params.id, req.body)),
  );
}
