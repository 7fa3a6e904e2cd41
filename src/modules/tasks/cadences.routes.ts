import { z } from 'zod';
import { type App, ctxOf } from '../../platform/http/app.ts';
import { errors, idParams, iso, page, pageQuery } from '../../platform/http/schemas.ts';
import type { RunRow, RunStepRow, TemplateRow } from './cadences.repo.ts';
import type { CadencesService } from './cadences.service.ts';

const Channel = z.enum(['message', 'call', 'email', 'visit']);
const OffsetIn = z.object({
  workingHours: z.number().min(0).max(10_000).optional(),
  workingDays: z.number().int().min(0).max(365).optional(),
  hours: z.number().min(0).max(100_000).optional(),
  days: z.number().int().min(0).max(3650).optional(),
});
const StepIn = z.object({
  channel: Channel,
  title: z.string().trim().min(1).max(200),
  script: z.string().max(5000).default(''),
  offset: OffsetIn.default({}),
});
const EventName = z
  .string()
  .regex(/^[a-z][a-z_]*\.[a-z][a-z_]*$/)
  .max(80);

const TemplateOut = z
  .object({
    id: z.string(),
    key: z.string(),
    name: z.string(),
    description: z.string(),
    recordType: z.string(),
    steps: z.array(z.object({ channel: Channel, title: z.string(), script: z.string(), offset: OffsetIn })),
    stopOn: z.array(z.string()),
    active: z.boolean(),
    builtin: z.boolean(),
    version: z.number(),
  })
  .meta({ id: 'CadenceTemplate' });

const StepOut = z.object({
  id: z.string(),
  position: z.number(),
  channel: z.string(),
  title: z.string(),
  dueAt: z.string(),
  taskId: z.string().nullable(),
  status: z.string(),
  outcome: z.string().nullable(),
  completedAt: z.string().nullable(),
});

const RunOut = z
  .object({
    id: z.string(),
    templateId: z.string(),
    recordType: z.string(),
    recordId: z.string(),
    assigneeId: z.string(),
    status: z.enum(['running', 'completed', 'stopped']),
    currentStep: z.number(),
    stopReason: z.string().nullable(),
    stoppedAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    createdAt: z.string(),
    version: z.number(),
    steps: z.array(StepOut).optional(),
  })
  .meta({ id: 'CadenceRun' });

const presentTemplate = (t: TemplateRow) => ({
  id: t.id,
  key: t.key,
  name: t.name,
  description: t.description,
  recordType: t.record_type,
  steps: t.steps.map((s) => ({
    channel: s.channel,
    title: s.title,
    script: s.script,
    offset: s.offset ?? {},
  })),
  stopOn: t.stop_on,
  active: t.active,
  builtin: t.builtin,
  version: t.version,
});

const presentStep = (s: RunStepRow) => ({
  id: s.id,
  position: s.position,
  channel: s.channel,
  title: s.title,
  dueAt: iso(s.due_at)!,
  taskId: s.task_id,
  status: s.status,
  outcome: s.outcome,
  completedAt: iso(s.completed_at),
});

const presentRun = (r: RunRow, steps?: RunStepRow[]) => ({
  id: r.id,
  templateId: r.template_id,
  recordType: r.record_type,
  recordId: r.record_id,
  assigneeId: r.assignee_id,
  status: r.status,
  currentStep: r.current_step,
  stopReason: r.stop_reason,
  stoppedAt: iso(r.stopped_at),
  completedAt: iso(r.completed_at),
  createdAt: iso(r.created_at)!,
  version: r.version,
  ...(steps ? { steps: steps.map(presentStep) } : {}),
});

export async function cadencesRoutes(app: App, svc: CadencesService) {
  const tags = ['Cadences'];
  app.get(
    '/api/v1/cadence-templates',
    {
      schema: {
        tags,
        description: 'Built-in templates first, then by name.',
        querystring: pageQuery,
        response: { 200: page(TemplateOut), ...errors },
      },
    },
    async (req) => {
      const r = await svc.listTemplates(ctxOf(req), req.query);
      return { ...r, items: r.items.map(presentTemplate) };
    },
  );
  app.post(
    '/api/v1/cadence-templates',
    {
      schema: {
        tags,
        description:
          "Needs task.read.team. Offsets run from the start (first step) or the previous step's completion.",
        body: z.object({
          key: z
            .string()
            .regex(/^[a-z][a-z0-9_]*$/)
            .max(60),
          name: z.string().trim().min(1).max(200),
          description: z.string().max(2000).optional(),
          recordType: z
            .string()
            .regex(/^[a-z][a-z_]*$/)
            .max(50),
          steps: z.array(StepIn).min(1).max(30),
          stopOn: z.array(EventName).max(20).optional(),
        }),
        response: { 201: TemplateOut, ...errors },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return presentTemplate(await svc.createTemplate(ctxOf(req), req.body));
    },
  );
  app.get(
    '/api/v1/cadence-runs',
    {
      schema: {
        tags,
        description: 'Newest first.',
        querystring: pageQuery.extend({
          recordType: z.string().optional(),
          recordId: z.string().optional(),
          status: z.enum(['running', 'completed', 'stopped']).optional(),
        }),
        response: { 200: page(RunOut), ...errors },
      },
    },
    async (req) => {
      const { limit, cursor, ...f } = req.query;
      const r = await svc.listRuns(ctxOf(req), f, { limit, cursor });
      return { ...r, items: r.items.map((run) => presentRun(run)) };
    },
  );
  app.post(
    '/api/v1/cadence-runs',
    {
      schema: {
        tags,
        description: "Starts a template (templateId or templateKey, e.g. 'unpaid_order') on a record.",
        body: z.object({
          templateId: z.string().optional(),
          templateKey: z.string().max(60).optional(),
          recordType: z.string().max(50),
          recordId: z.string(),
          assigneeId: z.string().optional(),
        }),
        response: { 201: RunOut, ...errors },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req);
      const run = await svc.start(ctx, req.body);
      const { steps } = await svc.getRun(ctx, run.id);
      reply.status(201).header('location', `/api/v1/cadence-runs/${run.id}`);
      return presentRun(run, steps);
    },
  );
  app.get(
    '/api/v1/cadence-runs/:id',
    { schema: { tags, params: idParams, response: { 200: RunOut, ...errors } } },
    async (req) => {
      const { run, steps } = await svc.getRun(ctxOf(req), req.params.id);
      return presentRun(run, steps);
    },
  );
  app.post(
    '/api/v1/cadence-runs/:id/stop',
    {
      schema: {
        tags,
        params: idParams,
        body: z.object({ reason: z.string().trim().min(1).max(500) }),
        response: { 200: RunOut, ...errors },
      },
    },
    async (req) => {
      const ctx = ctxOf(req);
      await svc.stop(ctx, req.params.id, req.body.reason);
      const { run, steps } = await svc.getRun(ctx, req.params.id);
      return presentRun(run, steps);
    },
  );
  app.post(
    '/api/v1/cadence-runs/events',
    {
      schema: {
        tags,
        description:
          "An event on a record (e.g. 'order.paid') stops the running cadences whose template lists it in stopOn.",
        body: z.object({ recordType: z.string().max(50), recordId: z.string(), event: EventName }),
        response: { 200: z.object({ stopped: z.array(z.string()) }), ...errors },
      },
    },
    async (req) => ({ stopped: (await svc.event(ctxOf(req), req.body)).map((r) => r.id) }),
  );
}
