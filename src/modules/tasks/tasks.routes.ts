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
    relatedType: z.string().nullable(),
    relatedId: z.string().nullable(),
    channel: z.string().nullable().describe('message, call, email or visit for cadence steps'),
    sourceType: z.string().nullable().describe("what created it: 'cadence_run', 'promise' or null"),
    sourceId: z.string().nullable(),
    completedAt: z.string().nullable(),
    version: z.number(),
    createdAt: z.string(),
  })
  .meta({ id: 'Task' });

export const presentTask = (t: TaskRow): z.infer<typeof TaskOut> => ({
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
  relatedType: t.related_type,
  relatedId: t.related_id,
  channel: t.channel ?? null,
  sourceType: t.source_type ?? null,
  sourceId: t.source_id ?? null,
  completedAt: iso(t.completed_at),
  version: t.version,
  createdAt: iso(t.created_at)!,
});

const TaskCreate = z.object({
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
        }),
        response: { 200: page(TaskOut), ...errors },
      },
    },
    async (req) => {
      const { limit, cursor, ...f } = req.query;
      const r = await svc.list(ctxOf(req), { ...f, overdue: f.overdue === 'true' }, { limit, cursor });
      return { ...r, items: r.items.map(presentTask) };
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
      const t = await svc.get(ctxOf(req), req.params.id);
      reply.header('etag', etag(t.version));
      return presentTask(t);
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
}
