import { z } from 'zod';
import { type App, ctxOf } from '../../platform/http/app.ts';
import { fieldError } from '../../platform/http/errors.ts';
import { errors, page, pageQuery } from '../../platform/http/schemas.ts';
import { SECTIONS, type Section } from './my-day.repo.ts';
import type { MyDayService } from './my-day.service.ts';

const Item = z
  .object({
    type: z.enum(['task', 'promise']),
    id: z.string(),
    title: z.string(),
    description: z.string(),
    assigneeId: z.string(),
    dueAt: z.string().nullable(),
    urgent: z.boolean(),
    important: z.boolean(),
    priority: z.string(),
    kind: z.string(),
    channel: z.string().nullable(),
    relatedType: z.string().nullable(),
    relatedId: z.string().nullable(),
    customerId: z.string().nullable(),
    toText: z.string().nullable(),
    version: z.number(),
  })
  .meta({ id: 'MyDayItem' });
const Counts = z.object({
  overdue: z.number(),
  dueToday: z.number(),
  upcoming: z.number(),
  promises: z.number(),
});
const DateQ = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .describe("YYYY-MM-DD in the org's time zone (default today)");

const MyDayOut = z
  .object({
    date: z.string(),
    timeZone: z.string(),
    overdue: z.array(Item),
    dueToday: z.array(Item),
    upcoming: z.array(Item),
    quadrants: z.object({
      urgentImportant: z.array(Item),
      urgentNotImportant: z.array(Item),
      notUrgentImportant: z.array(Item),
      notUrgentNotImportant: z.array(Item),
    }),
    promises: z.object({ overdue: z.array(Item), dueToday: z.array(Item) }),
    counts: Counts,
    nextCursors: z
      .object(
        Object.fromEntries(SECTIONS.map((s) => [s, z.string().nullable()])) as Record<
          Section,
          z.ZodNullable<z.ZodString>
        >,
      )
      .describe(
        'per section, the cursor of its next page (null when the first page holds it all): GET /my-day?section=…&cursor=…',
      ),
  })
  .meta({ id: 'MyDay' });

const MyDayQuery = z.object({
  date: DateQ,
  section: z
    .enum(SECTIONS)
    .optional()
    .describe('one section only, a page at a time (with `cursor` for the next page)'),
  userId: z.string().optional().describe("another member's day (needs task.read.team); default yourself"),
  ...pageQuery.shape,
});

const TeamDayOut = z.object({
  date: z.string(),
  timeZone: z.string(),
  team: z.object({ id: z.string(), name: z.string() }),
  members: z.array(
    z.object({
      userId: z.string(),
      name: z.string(),
      roleName: z.string(),
      counts: Counts,
      overdue: z.array(Item),
      overdueNextCursor: z
        .string()
        .nullable()
        .describe('GET /my-day?section=overdue&userId=…&cursor=… for more'),
    }),
  ),
});

export async function myDayRoutes(app: App, svc: MyDayService) {
  const tags = ['My day'];
  app.get(
    '/api/v1/my-day',
    {
      schema: {
        tags,
        description:
          'Your open tasks and promises: overdue (oldest first), due today, upcoming (7 days, then undated), and by urgent/important quadrant. ' +
          'Each section holds its first `limit` items and `nextCursors` has the cursor of the rest; with `section` the answer is one page of that section.',
        querystring: MyDayQuery,
        response: { 200: z.union([MyDayOut, page(Item)]), ...errors },
      },
    },
    async (req) => {
      const { section, cursor, ...q } = req.query;
      if (section) return svc.section(ctxOf(req), { ...q, section, cursor });
      if (cursor) throw fieldError('section', 'validation.required');
      return svc.myDay(ctxOf(req), q);
    },
  );
  app.get(
    '/api/v1/my-day/team',
    {
      schema: {
        tags,
        description:
          'Needs task.read.team: per member of the team (default: your first team), counts and overdue items.',
        querystring: z.object({ teamId: z.string().optional(), date: DateQ, limit: pageQuery.shape.limit }),
        response: { 200: TeamDayOut, ...errors },
      },
    },
    async (req) => svc.team(ctxOf(req), req.query),
  );
}
