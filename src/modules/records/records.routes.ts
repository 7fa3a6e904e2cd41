import { z } from 'zod';
import type { Queryable } from '../../platform/db/db.ts';
import { eventCatalog } from '../../platform/events/events.ts';
import { type App, ctxOf } from '../../platform/http/app.ts';
import { notFound } from '../../platform/http/errors.ts';
import { errors } from '../../platform/http/schemas.ts';
import type { RecordRegistry } from '../../platform/records/registry.ts';
import {
  PromiseOut,
  type PromisesService,
  presentPromise,
  presentTask,
  TaskOut,
  type TasksService,
} from '../tasks/index.ts';

const RecordParams = z.object({ type: z.string().max(40), id: z.string().max(40) });

const RecordOut = z
  .object({
    type: z.string(),
    typeLabel: z.string().describe("the record type's name in the caller's language"),
    id: z.string(),
    title: z.string(),
    route: z.string().describe('the web path that opens it'),
  })
  .meta({ id: 'RecordRef' });

const WorkOut = z
  .object({
    record: RecordOut,
    tasks: z.array(TaskOut),
    moreTasks: z.boolean(),
    promises: z.array(PromiseOut),
    morePromises: z.boolean(),
  })
  .meta({ id: 'RecordWork' });

const EventTypeOut = z
  .object({
    type: z.string(),
    recordType: z.string().nullable(),
    description: z.string().describe("in the caller's language"),
  })
  .meta({ id: 'EventType' });

/**
 * Records of every type through the registry: what one is (title, web route — notifications and links open it
 * through here), and the open work about it (tasks, promises; its processes are at /process-instances).
 * Also the catalog of domain event types (webhook subscriptions, process triggers).
 */
export async function recordsRoutes(
  app: App,
  deps: { db: Queryable; records: RecordRegistry; tasks: TasksService; promises: PromisesService },
) {
  const tags = ['Records'];
  const summary = async (ctx: ReturnType<typeof ctxOf>, type: string, id: string) => {
    const r = await deps.records.visible(deps.db, ctx, { type, id });
    const t = deps.records.get(type);
    if (!r || !t) throw notFound();
    return {
      type,
      typeLabel: t.label[ctx.locale] ?? t.label['zh-CN'],
      id: r.id,
      title: r.title,
      route: t.route(r.id),
    };
  };

  app.get(
    '/api/v1/records/:type/:id',
    { schema: { tags, params: RecordParams, response: { 200: RecordOut, ...errors } } },
    async (req) => summary(ctxOf(req), req.params.type, req.params.id),
  );

  app.get(
    '/api/v1/records/:type/:id/work',
    { schema: { tags, params: RecordParams, response: { 200: WorkOut, ...errors } } },
    async (req) => {
      const ctx = ctxOf(req);
      const record = await summary(ctx, req.params.type, req.params.id);
      const ref = { type: record.type, id: record.id };
      const [tasks, promises] = [
        await deps.tasks.openForRecord(ctx, ref),
        await deps.promises.openForRecord(ctx, ref),
      ];
      return {
        record,
        tasks: tasks.items.map((t) => presentTask(t)),
        moreTasks: tasks.more,
        promises: promises.items.map(presentPromise),
        morePromises: promises.more,
      };
    },
  );

  app.get(
    '/api/v1/event-types',
    {
      schema: {
        tags: ['Webhooks'],
        description:
          'The domain events Kept emits: what webhooks subscribe to and process triggers start on.',
        response: { 200: z.object({ items: z.array(EventTypeOut) }) },
      },
    },
    async (req) => {
      const ctx = ctxOf(req);
      return {
        items: eventCatalog().map((e) => ({
          type: e.type,
          recordType: e.recordType ?? null,
          description: e.description[ctx.locale] ?? e.description['zh-CN'],
        })),
      };
    },
  );
}
