import { z } from 'zod';
import { type App, ctxOf } from '../../platform/http/app.ts';
import { errors, etag, idParams, ifMatchVersion, iso, page, pageQuery } from '../../platform/http/schemas.ts';
import type { TaskRow, TasksService } from './tasks.service.ts';

const Priority = z.enum(['low', 'normal', 'high', 'urgent']);
const Status = z.enum(['open', 'done', 'cancelled']);
export const QuadrantEnum = z.enum([
  'urgentImportant',
  'urgentNotImportant',
  'notUrgentImportant',
  'notUrgentNotImportant',
]);
const Instant = z.iso.datetime({ offset: true });

export const TaskOut = z
  .object({
    id: z.string(),
    kind: z.string(),
    title: z.string(),
    description: z.string(),
    assigneeId: z.string().nullable(),
    dueAt: z.string().nullable(),
    priority: z.string(),
    urgent: z.boolean(),
    important: z.boolean(),
    status: Status,
    outcome: z.string().nullable(),
    outcomeCode: z.string().nullable().describe("the type's outcome code it was completed with"),
    relatedType: z.string().nullable(),
    relatedId: z.string().nullable(),
    relatedTitle: z
      .string()
      .nullable()
      .optional()
      .describe(
        'the linked record by its display title (lists and single reads; null if you may not see it)',
      ),
    channel: z.string().nullable().describe('message, call, email or visit for cadence steps'),
    sourceType: z.string().nullable().describe("what created it: 'cadence_run', 'promise' or null"),
    sourceId: z.string().nullable(),
    completedAt: z.string().nullable(),
    version: z.number(),
    createdAt: z.string(),
  })
  .meta({ id: 'Task' });

export const presentTask = (t: TaskRow, titles?: Map<string, string>): z.infer<typeof TaskOut> => ({
  id: t.id,
  kind: t.kind,
  title: t.title,
  description: t.description,
  assigneeId: t.assignee_id,
  dueAt: iso(t.due_at),
  priority: t.priority,
  urgent: t.urgent,
  important: t.important,
  status: t.status,
  outcome: t.outcome,
  outcomeCode: t.outcome_code ?? null,
  relatedType: t.related_type,
  relatedId: t.related_id,
  ...(titles ? { relatedTitle: titles.get(`${t.related_type}:${t.related_id}`) ?? null } : {}),
  channel: t.channel ?? null,
  sourceType: t.source_type ?? null,
  sourceId: t.source_id ?? null,
  completedAt: iso(t.completed_at),
  version: t.version,
  createdAt: iso(t.created_at)!,
});

const TaskCreate = z.object({
  kind: z.string().max(50).optional().describe("a task type key (GET /task-types); default 'general'"),
  title: z.string().trim().min(1).max(300),
  description: z.string().max(5000).optional(),
  assigneeId: z.string().optional().describe('default: yourself; someone else needs task.read.team'),
  dueAt: Instant.nullable().optional(),
  priority: Priority.optional(),
  urgent: z.boolean().optional(),
  important: z.boolean().optional(),
  relatedType: z.string().max(50).optional(),
  relatedId: z.string().optional(),
});

const TaskPatchIn = z.object({
  title: z.string().trim().min(1).max(300).optional(),
  description: z.string().max(5000).optional(),
  assigneeId: z.string().optional(),
  dueAt: Instant.nullable().optional(),
  priority: Priority.optional(),
  urgent: z.boolean().optional(),
  important: z.boolean().optional(),
  status: Status.optional(),
  outcome: z.string().max(2000).optional().describe('required (non-empty) to complete a task'),
  outcomeCode: z
    .string()
    .max(50)
    .optional()
    .describe("one of the type's outcome codes: required to complete a task whose type has codes"),
});

const Labels = z.object({
  'zh-CN': z.string().trim().min(1).max(100),
  en: z.string().trim().min(1).max(100),
  es: z.string().trim().min(1).max(100),
});

export const TaskTypeOut = z
  .object({
    key: z.string(),
    label: z.record(z.string(), z.string()),
    outcomes: z.array(z.object({ code: z.string(), label: z.record(z.string(), z.string()) })),
    builtin: z.boolean(),
    active: z.boolean(),
    version: z.number(),
  })
  .meta({ id: 'TaskType' });

const TaskTypeIn = z.object({
  label: Labels,
  outcomes: z
    .array(
      z.object({
        code: z.string().regex(/^[a-z][a-z0-9_]{0,49}$/, { error: 'validation.key' }),
        label: Labels,
      }),
    )
    .max(30),
  active: z.boolean().optional(),
});

export async function tasksRoutes(app: App, svc: TasksService) {
  const tags = ['Tasks'];
  app.get(
    '/api/v1/tasks',
    {
      schema: {
        tags,
        description: 'Open tasks first, then by due time (undated last), then creation.',
        querystring: pageQuery.extend({
          assignee: z
            .string()
            .optional()
            .describe("'me' (default), 'team' or a user id (team and others need task.read.team)"),
          status: Status.optional(),
          overdue: z.enum(['true', 'false']).optional().describe('true: open tasks due before now'),
          dueBefore: Instant.optional(),
          dueAfter: Instant.optional(),
          quadrant: QuadrantEnum.optional(),
          relatedType: z.string().optional(),
          relatedId: z.string().optional(),
          priority: Priority.optional(),
          kind: z.string().max(50).optional().describe('a task type key'),
        }),
        response: { 200: page(TaskOut), ...errors },
      },
    },
    async (req) => {
      const { limit, cursor, ...f } = req.query;
      const ctx = ctxOf(req);
      const r = await svc.list(ctx, { ...f, overdue: f.overdue === 'true' }, { limit, cursor });
      const titles = await svc.relatedTitles(ctx, r.items);
      return { ...r, items: r.items.map((t) => presentTask(t, titles)) };
    },
  );
  app.post(
    '/api/v1/tasks',
    { schema: { tags, body: TaskCreate, response: { 201: TaskOut, ...errors } } },
    async (req, reply) => {
      const t = await svc.create(ctxOf(req), req.body);
      reply.status(201).header('etag', etag(t.version)).header('location', `/api/v1/tasks/${t.id}`);
      return presentTask(t);
    },
  );
  app.get(
    '/api/v1/tasks/:id',
    { schema: { tags, params: idParams, response: { 200: TaskOut, ...errors } } },
    async (req, reply) => {
      const ctx = ctxOf(req);
      const t = await svc.get(ctx, req.params.id);
      reply.header('etag', etag(t.version));
      return presentTask(t, await svc.relatedTitles(ctx, [t]));
    },
  );
  app.patch(
    '/api/v1/tasks/:id',
    {
      schema: {
        tags,
        description:
          'Edit, reassign, complete (status done + outcome) or cancel. If-Match with a stale version answers 412.',
        params: idParams,
        body: TaskPatchIn,
        response: { 200: TaskOut, ...errors },
      },
    },
    async (req, reply) => {
      const t = await svc.update(
        ctxOf(req),
        req.params.id,
        req.body,
        ifMatchVersion(req.headers['if-match']),
      );
      reply.header('etag', etag(t.version));
      return presentTask(t);
    },
  );

  app.get(
    '/api/v1/task-types',
    {
      schema: {
        tags,
        description:
          'Task types (built-in: general, call_back) with the outcome codes a task of each closes with.',
        querystring: pageQuery,
        response: { 200: page(TaskTypeOut), ...errors },
      },
    },
    async (req) => svc.types.page(ctxOf(req), req.query),
  );
  app.put(
    '/api/v1/task-types/:key',
    {
      schema: {
        tags,
        description:
          'Adds or edits a task type: its labels and outcome codes (process.manage). If-Match with the version ' +
          'read (0 for a type not stored yet: a built-in never edited, or a new key) answers 412 when stale.',
        params: z.object({
          key: z.string().regex(/^[a-z][a-z0-9_]{0,49}$/, { error: 'validation.key' }),
        }),
        body: TaskTypeIn,
        response: { 200: TaskTypeOut, ...errors },
      },
    },
    async (req, reply) => {
      const saved = await svc.types.save(
        ctxOf(req),
        req.params.key,
        req.body,
        ifMatchVersion(req.headers['if-match']),
      );
      reply.header('etag', etag(saved.version));
      return saved;
    },
  );
}
