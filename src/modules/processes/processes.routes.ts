import { z } from 'zod';
import { type App, ctxOf } from '../../platform/http/app.ts';
import { freeJson } from '../../platform/http/input-guard.ts';
import { errors, etag, ifMatchVersion, iso, page, pageQuery } from '../../platform/http/schemas.ts';
import { t } from '../../platform/i18n/i18n.ts';
import type { ProcessDefinition } from './definition.schema.ts';
import type { DefinitionRow } from './definitions.repo.ts';
import type { DefinitionsService } from './definitions.service.ts';
import { validateDefinition } from './definitions.service.ts';
import { authorize } from './processes.policy.ts';
import type { ApprovalRow, ClockRow, InstanceRow } from './processes.repo.ts';
import {
  PendingApprovalOut,
  ProcessDetailOut,
  ProcessInstanceOut,
  ProcessInstanceSummaryOut,
  ProcessOut,
  ProcessValidationOut,
} from './processes.schemas.ts';
import type { InstancesService } from './processes.service.ts';

const Json = z.record(z.string(), z.unknown());
const KeyParams = z.object({ key: z.string().max(63) });
const IdParams = z.object({ id: z.string() });

const presentDefinition = (d: DefinitionRow) => ({
  id: d.id,
  key: d.key,
  recordType: d.record_type,
  builtin: d.builtin,
  currentVersion: d.current_version,
  draft: d.draft as ProcessDefinition,
  version: d.version,
  updatedAt: iso(d.updated_at)!,
});
const presentClock = (c: ClockRow) => ({
  id: c.id,
  key: c.clock_key,
  status: c.status,
  startedAt: iso(c.started_at)!,
  dueAt: iso(c.due_at),
  warnAt: iso(c.warn_at),
  pausedAt: iso(c.paused_at),
  breachedAt: iso(c.breached_at),
  stoppedAt: iso(c.stopped_at),
});
const presentApproval = (a: ApprovalRow) => ({
  id: a.id,
  instanceId: a.instance_id,
  transition: a.transition,
  step: a.step,
  approverRole: a.approver_role,
  status: a.status,
  comment: a.comment,
  requestedAt: iso(a.requested_at)!,
  decidedAt: iso(a.decided_at),
  decidedBy: a.decided_by,
});
const presentInstance = (i: InstanceRow) => ({
  id: i.id,
  recordType: i.record_type,
  recordId: i.record_id,
  parentId: i.parent_id,
  state: i.state,
  status: i.status,
  priority: i.priority,
  assigneeId: i.assignee_id,
  data: i.data,
  pendingTransition: i.pending_transition,
  startedAt: iso(i.started_at)!,
  completedAt: iso(i.completed_at),
  version: i.version,
});

type View = Awaited<ReturnType<InstancesService['view']>>;
const presentView = (v: View) => ({
  ...presentInstance(v.instance),
  definitionKey: v.definition.key,
  versionNumber: v.versionNumber,
  states: v.definition.states,
  available: v.available.map((x) => ({
    key: x.key,
    name: x.name,
    to: x.to,
    requiredFields: x.requiredFields ?? [],
    needsApproval: !!x.approval,
  })),
  clocks: v.clocks.map(presentClock),
  approvals: v.approvals.map(presentApproval),
  history: v.history.map((h) => ({
    transition: h.transition,
    from: h.from_state,
    to: h.to_state,
    actorId: h.actor_id,
    comment: h.comment,
    at: iso(h.at)!,
  })),
});

const ViewOut = ProcessInstanceOut;

export async function processesRoutes(
  app: App,
  definitions: DefinitionsService,
  instances: InstancesService,
) {
  const tags = ['Processes'];
  app.get(
    '/api/v1/processes',
    { schema: { tags, querystring: pageQuery, response: { 200: page(ProcessOut), ...errors } } },
    async (req) => {
      const r = await definitions.list(ctxOf(req), req.query);
      return { ...r, items: r.items.map(presentDefinition) };
    },
  );
  app.post(
    '/api/v1/processes',
    { schema: { tags, body: Json, response: { 201: ProcessOut, ...errors } } },
    async (req, reply) => {
      reply.status(201);
      return presentDefinition(await definitions.create(ctxOf(req), req.body as never));
    },
  );
  app.post(
    '/api/v1/processes/validate',
    {
      schema: {
        tags,
        description: 'Checks a definition without saving it.',
        body: Json,
        response: { 200: ProcessValidationOut },
      },
    },
    async (req) => {
      authorize(ctxOf(req), 'definition.validate');
      const r = validateDefinition(req.body);
      if (r.ok) return { ok: true };
      return {
        ok: false,
        fields: Object.fromEntries(
          Object.entries(r.fields).map(([k, f]) => [k, t(req.locale, f.key, f.vars)]),
        ),
      };
    },
  );
  app.get(
    '/api/v1/processes/:key',
    { schema: { tags, params: KeyParams, response: { 200: ProcessDetailOut, ...errors } } },
    async (req, reply) => {
      const { row, versions } = await definitions.get(ctxOf(req), req.params.key);
      reply.header('etag', etag(row.version));
      return {
        ...presentDefinition(row),
        versions: versions.map((v) => ({
          number: v.number,
          publishedAt: iso(v.published_at)!,
          publishedBy: v.published_by,
          definition: v.definition,
        })),
      };
    },
  );
  app.put(
    '/api/v1/processes/:key/draft',
    { schema: { tags, params: KeyParams, body: Json, response: { 200: ProcessOut, ...errors } } },
    async (req, reply) => {
      const row = await definitions.saveDraft(
        ctxOf(req),
        req.params.key,
        req.body,
        ifMatchVersion(req.headers['if-match']),
      );
      reply.header('etag', etag(row.version));
      return presentDefinition(row);
    },
  );
  app.post(
    '/api/v1/processes/:key/publish',
    { schema: { tags, params: KeyParams, response: { 200: ProcessOut, ...errors } } },
    async (req, reply) => {
      const row = await definitions.publish(
        ctxOf(req),
        req.params.key,
        ifMatchVersion(req.headers['if-match']),
      );
      reply.header('etag', etag(row.version));
      return presentDefinition(row);
    },
  );

  const itags = ['Process instances'];
  app.post(
    '/api/v1/process-instances',
    {
      schema: {
        tags: itags,
        body: z.object({
          definitionKey: z.string().max(63),
          recordType: z.string().max(30),
          recordId: z.string().max(40),
          data: freeJson().optional(),
        }),
        response: { 201: ViewOut, ...errors },
      },
    },
    async (req, reply) => {
      const v = await instances.start(ctxOf(req), req.body);
      reply.status(201).header('etag', etag(v.instance.version));
      return presentView(v);
    },
  );
  app.get(
    '/api/v1/process-instances',
    {
      schema: {
        tags: itags,
        description: "A record's processes, newest first.",
        querystring: pageQuery.extend({ recordType: z.string().max(30), recordId: z.string().max(40) }),
        response: { 200: page(ProcessInstanceSummaryOut), ...errors },
      },
    },
    async (req) => {
      const r = await instances.listForRecord(
        ctxOf(req),
        req.query.recordType,
        req.query.recordId,
        req.query,
      );
      return { ...r, items: r.items.map(presentInstance) };
    },
  );
  app.get(
    '/api/v1/process-instances/:id',
    { schema: { tags: itags, params: IdParams, response: { 200: ViewOut, ...errors } } },
    async (req, reply) => {
      const v = await instances.get(ctxOf(req), req.params.id);
      reply.header('etag', etag(v.instance.version));
      return presentView(v);
    },
  );
  app.post(
    '/api/v1/process-instances/:id/transitions',
    {
      schema: {
        tags: itags,
        params: IdParams,
        body: z.object({
          transition: z.string().max(63),
          fields: freeJson().optional(),
          comment: z.string().max(4000).optional(),
        }),
        response: { 200: ViewOut, ...errors },
      },
    },
    async (req, reply) => {
      const v = await instances.transition(
        ctxOf(req),
        req.params.id,
        req.body,
        ifMatchVersion(req.headers['if-match']),
      );
      reply.header('etag', etag(v.instance.version));
      return { ...presentView(v), pendingApproval: v.pendingApproval };
    },
  );
  app.post(
    '/api/v1/process-instances/:id/events',
    {
      schema: {
        tags: itags,
        params: IdParams,
        body: z.object({ event: z.string().min(1).max(80) }),
        response: { 200: ViewOut, ...errors },
      },
    },
    async (req) => presentView(await instances.event(ctxOf(req), req.params.id, req.body.event)),
  );
  app.get(
    '/api/v1/approvals',
    {
      schema: {
        tags: itags,
        description: 'Approvals waiting for your role (admins: all), oldest request first.',
        querystring: pageQuery,
        response: { 200: page(PendingApprovalOut), ...errors },
      },
    },
    async (req) => {
      const r = await instances.pendingApprovals(ctxOf(req), req.query);
      return {
        ...r,
        items: r.items.map((a) => ({
          ...presentApproval(a),
          recordType: a.record_type,
          recordId: a.record_id,
          recordTitle: a.record_title,
          recordRoute: a.record_route,
          state: a.state,
          requestedBy: a.requested_by,
          requestedByName: a.requested_by_name,
          approverRoleName: a.approver_role_name,
          fields: a.fields ?? {},
        })),
      };
    },
  );
  app.post(
    '/api/v1/approvals/:id/decision',
    {
      schema: {
        tags: itags,
        params: IdParams,
        body: z.object({ decision: z.enum(['approve', 'reject']), comment: z.string().max(4000).optional() }),
        response: { 200: ViewOut, ...errors },
      },
    },
    async (req) => presentView(await instances.decide(ctxOf(req), req.params.id, req.body)),
  );
}
