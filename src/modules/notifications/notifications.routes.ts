import { z } from 'zod';
import { type App, ctxOf } from '../../platform/http/app.ts';
import { errors, idParams, iso, page, pageQuery, rawResponse } from '../../platform/http/schemas.ts';
import type { Locale } from '../../platform/i18n/i18n.ts';
import type { NotificationsModule } from './index.ts';
import { ownUser } from './notifications.policy.ts';
import type { NotificationRow } from './notifications.repo.ts';
import { makeStreamHub, type StreamOptions } from './notifications.stream.ts';

export const NotificationOut = z
  .object({
    id: z.string(),
    kind: z.string(),
    title: z.string(),
    body: z.string(),
    link: z.string().nullable().describe('The web path that opens what the notification is about'),
    record: z
      .object({ type: z.string(), id: z.string() })
      .nullable()
      .describe('The record the notification is about, when there is one'),
    data: z.record(z.string(), z.unknown()),
    readAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'Notification' });

type Texts = { title?: Partial<Record<Locale, string>>; body?: Partial<Record<Locale, string>> };

/** A notification in the reader's language (texts given per language are kept and picked when read). */
export const presentNotification = (
  n: NotificationRow,
  locale: Locale = 'zh-CN',
): z.infer<typeof NotificationOut> => {
  const { texts, record, ...data } = (n.data ?? {}) as {
    texts?: Texts;
    record?: { type: string; id: string };
  } & Record<string, unknown>;
  return {
    id: n.id,
    kind: n.kind,
    title: texts?.title?.[locale] || n.title,
    body: texts?.body?.[locale] || n.body,
    link: n.link,
    record: record?.type && record.id ? { type: record.type, id: record.id } : null,
    data,
    readAt: iso(n.read_at),
    createdAt: iso(n.created_at) ?? '',
  };
};

const Channels = z.object({ inApp: z.boolean(), email: z.boolean() });
const KIND_RE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;
const PreferencesIn = z.object({
  inApp: z.boolean().default(true),
  email: z.boolean().default(true),
  kinds: z
    .record(z.string().max(100).regex(KIND_RE, { error: 'validation.invalid' }), Channels)
    .default({})
    .refine((k) => Object.keys(k).length <= 100, { error: 'validation.invalid' }),
  digest: z
    .object({ enabled: z.boolean(), hour: z.number().int().min(0).max(23) })
    .default({ enabled: false, hour: 9 }),
});
const PreferencesOut = z
  .object({
    inApp: z.boolean(),
    email: z.boolean(),
    kinds: z.record(z.string(), Channels),
    digest: z.object({ enabled: z.boolean(), hour: z.number() }),
    emailAvailable: z
      .boolean()
      .describe('false when the server has no SMTP configured: the email channel is skipped'),
  })
  .meta({ id: 'NotificationPreferences' });

const ListQuery = pageQuery.extend({
  unread: z.enum(['1', '0', 'true', 'false']).optional(),
});

export async function notificationsRoutes(
  app: App,
  mod: NotificationsModule,
  streamOptions: StreamOptions = {},
) {
  const tags = ['Notifications'];
  const svc = mod.notifications;
  const stream = makeStreamHub(
    app,
    svc,
    (n, req) => presentNotification(n, ctxOf(req).locale),
    streamOptions,
  );

  app.get(
    '/api/v1/notifications',
    {
      schema: {
        tags,
        description: "The caller's own notifications, newest first; `unread=1` for unread only.",
        querystring: ListQuery,
        response: { 200: page(NotificationOut).extend({ unread: z.number() }), ...errors },
      },
    },
    async (req) => {
      const q = req.query;
      const r = await svc.list(ctxOf(req), { unread: q.unread === '1' || q.unread === 'true' }, q);
      return {
        items: r.items.map((n) => presentNotification(n, ctxOf(req).locale)),
        nextCursor: r.nextCursor,
        unread: r.unread,
      };
    },
  );

  app.post(
    '/api/v1/notifications/:id/read',
    { schema: { tags, params: idParams, response: { 200: NotificationOut, ...errors } } },
    async (req) => presentNotification(await svc.markRead(ctxOf(req), req.params.id), ctxOf(req).locale),
  );

  app.post(
    '/api/v1/notifications/read-all',
    { schema: { tags, response: { 200: z.object({ updated: z.number() }), ...errors } } },
    async (req) => svc.markAllRead(ctxOf(req)),
  );

  app.get(
    '/api/v1/notifications/stream',
    {
      schema: {
        tags,
        description:
          'Server-Sent Events: `event: notification` with a Notification as data for each notification created after connecting; ' +
          'a `: ping` comment every 15 s. Authenticate with the session cookie (EventSource) or a bearer token.',
        response: {
          200: rawResponse('An endless stream of server-sent events', { 'text/event-stream': 'text' }),
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req);
      const userId = ownUser(ctx, 'notification.list');
      return stream(req, reply, ctx.orgId, userId);
    },
  );

  app.get(
    '/api/v1/notifications/preferences',
    { schema: { tags, response: { 200: PreferencesOut, ...errors } } },
    async (req) => svc.getPreferences(ctxOf(req)),
  );

  app.put(
    '/api/v1/notifications/preferences',
    {
      schema: {
        tags,
        description:
          'Replaces the preferences (omitted fields take their defaults): channels per kind, defaults for other kinds, and the daily digest hour in the organization time zone.',
        body: PreferencesIn,
        response: { 200: PreferencesOut, ...errors },
      },
    },
    async (req) => svc.putPreferences(ctxOf(req), req.body),
  );
}
