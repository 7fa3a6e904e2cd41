import { z } from 'zod';
import { type App, ctxOf } from '../../platform/http/app.ts';
import {
  errors,
  etag,
  idParams,
  ifMatchVersion,
  list,
  page,
  pageQuery,
} from '../../platform/http/schemas.ts';
import type { OverrideRow } from './calendar.repo.ts';
import {
  AddQuery,
  BetweenQuery,
  DayOut,
  DaysQuery,
  OverrideIn,
  OverrideOut,
  OverridesQuery,
  SettingsIn,
  SettingsOut,
  SlotQuery,
} from './calendar.schemas.ts';
import type { CalendarService } from './index.ts';

const presentOverride = (o: OverrideRow) => ({
  id: o.id,
  date: o.date,
  kind: o.kind,
  hours: o.hours,
  name: o.name,
  scope: o.scope,
  version: o.version,
});

const HolidayStatusOut = z
  .object({
    builtinLastYear: z.number(),
    importedYears: z.array(z.number()),
    year: z.number(),
    missingYear: z.number().nullable(),
    imports: z.array(
      z.object({ year: z.number(), source: z.string(), days: z.number(), importedAt: z.string() }),
    ),
  })
  .meta({ id: 'HolidayStatus' });

export async function calendarRoutes(app: App, svc: CalendarService) {
  const tags = ['Calendar'];

  app.get(
    '/api/v1/calendar/holidays',
    {
      schema: {
        tags,
        description:
          'The official holiday data of the org: the last built-in year, the years an admin imported, and the year ' +
          'whose table is missing now (this year, or next year from November 1 in the org time zone), if any.',
        response: { 200: HolidayStatusOut, ...errors },
      },
    },
    async (req) => svc.holidayStatus(ctxOf(req)),
  );

  app.post(
    '/api/v1/calendar/holidays/import',
    {
      bodyLimit: 2 * 1024 * 1024,
      schema: {
        tags,
        description:
          "Imports one year's official holiday / 调休 table and replaces the org's official days of that year. " +
          '`content` is a CSV (`date,kind,name`; kind holiday or adjusted_workday) or an iCalendar (ICS) file. ' +
          'A bad line answers 422 with a field per line (`line 7`).',
        body: z.object({
          content: z.string().min(1).max(1_000_000),
          filename: z.string().max(200).optional(),
        }),
        response: {
          200: z.object({
            year: z.number(),
            source: z.string(),
            days: z.number(),
            holidays: z.number(),
            adjustedWorkdays: z.number(),
            replaced: z.number(),
          }),
          ...errors,
        },
      },
    },
    async (req) => svc.importHolidays(ctxOf(req), req.body),
  );

  app.get(
    '/api/v1/calendar/add',
    {
      schema: {
        tags,
        description:
          'Adds working days to a date (`workingDays`: the n-th working day after `from`; 0 → `from` itself or the next working day) ' +
          'or working hours to an instant (`workingHours`, fractions allowed; a date-only `from` starts at its 00:00 in the org zone).',
        querystring: AddQuery,
        response: {
          200: z.object({
            date: z.string().optional(),
            at: z.string().optional(),
            local: z.string().optional(),
          }),
          ...errors,
        },
      },
    },
    async (req) => svc.add(ctxOf(req), req.query),
  );

  app.get(
    '/api/v1/calendar/days',
    {
      schema: {
        tags,
        description: 'Every day from `from` to `to` (at most 400): type, holiday name, working hours.',
        querystring: DaysQuery,
        response: { 200: list(DayOut), ...errors },
      },
    },
    async (req) => ({ items: await svc.days(ctxOf(req), req.query) }),
  );

  app.get(
    '/api/v1/calendar/between',
    {
      schema: {
        tags,
        description: 'Working time between two instants.',
        querystring: BetweenQuery,
        response: { 200: z.object({ workingMs: z.number(), workingHours: z.number() }), ...errors },
      },
    },
    async (req) => svc.between(ctxOf(req), req.query),
  );

  app.get(
    '/api/v1/calendar/next-contact-slot',
    {
      schema: {
        tags,
        description:
          "The first instant at or after `after` in working hours and outside the customer's quiet hours (theirs, else the org default). " +
          'For a retry pass `differentSlotFrom` (the unreached attempt) and `laterWorkingDay=true`.',
        querystring: SlotQuery,
        response: {
          200: z.object({
            at: z.string().nullable(),
            local: z.string().nullable(),
            quietHours: z.array(z.tuple([z.string(), z.string()])),
            quietHoursOf: z.enum(['customer', 'org']),
          }),
          ...errors,
        },
      },
    },
    async (req) => svc.contactSlot(ctxOf(req), req.query),
  );

  app.get(
    '/api/v1/calendar/settings',
    { schema: { tags, response: { 200: SettingsOut, ...errors } } },
    async (req, reply) => {
      const s = await svc.settings(ctxOf(req));
      reply.header('etag', etag(s.version));
      return s;
    },
  );

  app.put(
    '/api/v1/calendar/settings',
    {
      schema: {
        tags,
        description:
          'Replaces the settings. Send If-Match with the ETag you read ("0" before the first save): a stale version answers 412.',
        body: SettingsIn,
        response: { 200: SettingsOut, ...errors },
      },
    },
    async (req, reply) => {
      const s = await svc.updateSettings(ctxOf(req), req.body, ifMatchVersion(req.headers['if-match']));
      reply.header('etag', etag(s.version));
      return s;
    },
  );

  app.get(
    '/api/v1/calendar/overrides',
    {
      schema: {
        tags,
        description: 'By date.',
        querystring: OverridesQuery.extend(pageQuery.shape),
        response: { 200: page(OverrideOut), ...errors },
      },
    },
    async (req) => {
      const { limit, cursor, ...f } = req.query;
      const r = await svc.listOverrides(ctxOf(req), f, { limit, cursor });
      return { ...r, items: r.items.map(presentOverride) };
    },
  );

  app.post(
    '/api/v1/calendar/overrides',
    {
      schema: {
        tags,
        description:
          'An extra holiday, an extra working day (Monday’s hours unless `hours`), or special hours on a date; optionally for one `scope` (a shop).',
        body: OverrideIn,
        response: { 201: OverrideOut, ...errors },
      },
    },
    async (req, reply) => {
      const o = await svc.createOverride(ctxOf(req), req.body);
      reply.status(201).header('location', `/api/v1/calendar/overrides/${o.id}`);
      return presentOverride(o);
    },
  );

  app.delete(
    '/api/v1/calendar/overrides/:id',
    { schema: { tags, params: idParams, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await svc.deleteOverride(ctxOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}
