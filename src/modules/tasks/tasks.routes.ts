import { z } from 'zod';
import { type App, ctxOf } from '../../platform/http/app.ts';
import { errors, etag, idParams, ifMatchVersion, iso, list } from '../../platform/http/schemas.ts';
import type { TaskRow, TasksService } from './tasks.service.ts';

const TaskOut = z
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
    status: z.enum(['open', 'done', 'cancelled']),
    outcome: z.string().nullable(),
    relatedType: z.string().nullable(),
    relatedId: z.string().nullable(),
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
  completedAt: iso(t.completed_at),
  version: t.version,
  createdAt: iso(t.created_at)!,
});

export async function tasksRoutes(app: App, svc: TasksService) {
  const tags = ['Tasks'];
  app.get(
    '/api/v1/tasks',
    {
      schema: {
        tags,
        querystring: z.object({
          assignee: z.string().optional().describe("'me' (default) or a user id (needs task.read.team)"),
          status: z.enum(['open', 'done', 'cancelled']).optional(),
          relatedType: z.string().optional(),
          relatedId: z.string().optional(),
        }),
        response: { 200: list(TaskOut), ...errors },
      },
    },
    async (req) => ({ items: (await svc.list(ctxOf(req), req.query)).map(presentTask) }),
  );
  app.patch(
    '/api/v1/tasks/:id',
    {
      schema: {
        tags,
        params: idParams,
        body: z.object({ status: z.enum(['open', 'done', 'cancelled']).optional(), outcome: z.string().max(2000).optional() }),
        response: { 200: TaskOut, ...errors },
      },
    },
    async (req, reply) => {
      const t = await svc.update(ctxOf(req), req.params.id, req.body, ifMatchVersion(req.headers['if-match']));
      reply.header('etag', etag(t.version));
      return presentTask(t);
    },
  );
}
