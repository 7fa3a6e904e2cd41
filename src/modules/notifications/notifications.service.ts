import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/db.ts';
import type { PageRequest } from '../../platform/db/paging.ts';
import { assertId, isUuid, notFound } from '../../platform/http/errors.ts';
import type { Locale } from '../../platform/i18n/i18n.ts';
import { scheduleTimer } from '../../platform/jobs/timers.ts';
import type { RecordRegistry } from '../../platform/records/registry.ts';
import type { IdentityService } from '../identity/index.ts';
import { asLocale, type Mailer } from './mail.ts';
import { cancelDigests, NOTIFICATION_EMAIL, scheduleDigest } from './notifications.jobs.ts';
import { ownUser } from './notifications.policy.ts';
import {
  type Channels,
  channelsFor,
  DEFAULT_PREFERENCES,
  type NotificationRow,
  notificationsRepo as repo,
} from './notifications.repo.ts';

/** A text for the recipient: plain, or one per language (the recipient's language is picked, else zh-CN, else any). */
export type LocalizedText = string | Partial<Record<Locale, string>>;

export interface NotifyInput {
  userIds: string[];
  /** What happened, e.g. 'task.assigned', 'sla.breached'; preferences are per kind. */
  kind: string;
  title: LocalizedText;
  body: LocalizedText;
  /** The record it is about: the notification opens it (its web route from the record registry). */
  record?: { type: string; id: string };
  /** An app path ('/customers/…') or an absolute URL, when it is about no record. */
  link?: string;
  data?: Record<string, unknown>;
}

export interface PreferencesInput {
  inApp: boolean;
  email: boolean;
  kinds: Record<string, Channels>;
  digest: { enabled: boolean; hour: number };
}

function pick(text: LocalizedText, locale: Locale): string {
  if (typeof text === 'string') return text;
  return text[locale] ?? text['zh-CN'] ?? Object.values(text).find((v) => typeof v === 'string') ?? '';
}

export function makeNotificationsService(
  db: Db,
  deps: { identity: IdentityService; mailer: Mailer; log: (msg: string) => void; records?: RecordRegistry },
) {
  const { identity, mailer, log } = deps;

  function presentPreferences(p: {
    in_app: boolean;
    email: boolean;
    kinds: Record<string, Channels>;
    digest_enabled: boolean;
    digest_hour: number;
  }) {
    return {
      inApp: p.in_app,
      email: p.email,
      kinds: p.kinds ?? {},
      digest: { enabled: p.digest_enabled, hour: p.digest_hour },
      emailAvailable: mailer.enabled,
    };
  }

  return {
    /**
     * Notifies users inside the caller's transaction: an in-app notification and/or an email (a durable
     * 'notification.email' timer) per each recipient's preferences, in the recipient's language.
     */
    async notify(
      tx: Tx,
      ctx: Ctx,
      input: NotifyInput,
    ): Promise<{ notificationIds: string[]; emails: number }> {
      const ids = [...new Set(input.userIds.filter(isUuid).map((id) => id.toLowerCase()))];
      const out = { notificationIds: [] as string[], emails: 0 };
      if (!ids.length) return out;
      const users = (await identity.usersByIds(ctx.orgId, ids, tx)).filter((u) => u.status === 'active');
      if (!users.length) return out;
      const org = await identity.org(ctx.orgId, tx);
      const prefs = new Map(
        (
          await repo.preferences(
            tx,
            ctx.orgId,
            users.map((u) => u.id),
          )
        ).map((p) => [p.user_id, p]),
      );
      let skippedEmail = 0;
      const link = input.record
        ? (deps.records?.route(input.record) ?? `/records/${input.record.type}/${input.record.id}`)
        : (input.link ?? null);
      const texts =
        typeof input.title === 'object' || typeof input.body === 'object'
          ? {
              title: typeof input.title === 'object' ? input.title : undefined,
              body: typeof input.body === 'object' ? input.body : undefined,
            }
          : undefined;
      const data = {
        ...(input.data ?? {}),
        ...(input.record ? { record: input.record } : {}),
        ...(texts ? { texts } : {}),
      };
      for (const u of users) {
        const channels = channelsFor(prefs.get(u.id), input.kind);
        const locale = asLocale(u.locale, asLocale(org.locale));
        const title = pick(input.title, locale).slice(0, 500);
        const body = pick(input.body, locale).slice(0, 5000);
        const id = randomUUID();
        if (channels.inApp) {
          await repo.insert(tx, {
            orgId: ctx.orgId,
            id,
            userId: u.id,
            kind: input.kind,
            title,
            body,
            link,
            data,
          });
          out.notificationIds.push(id);
        }
        if (channels.email && !mailer.enabled) skippedEmail++;
        if (channels.email && mailer.enabled && u.email) {
          await scheduleTimer(tx, {
            orgId: ctx.orgId,
            key: `${NOTIFICATION_EMAIL}:${id}`,
            kind: NOTIFICATION_EMAIL,
            dueAt: new Date(),
            refType: 'user',
            refId: u.id,
            payload: {
              userId: u.id,
              kind: input.kind,
              title,
              body,
              link,
              notificationId: channels.inApp ? id : null,
            },
          });
          out.emails++;
        }
      }
      if (skippedEmail)
        log(
          `email channel skipped for ${skippedEmail} recipient(s) of '${input.kind}': KEPT_SMTP_URL is not set`,
        );
      await recordAudit(tx, ctx, {
        action: 'notification.send',
        entityType: 'notification',
        entityId: null,
        meta: {
          kind: input.kind,
          userIds: users.map((u) => u.id),
          inApp: out.notificationIds.length,
          emails: out.emails,
        },
      });
      return out;
    },

    async list(ctx: Ctx, f: { unread: boolean }, page: PageRequest) {
      const userId = ownUser(ctx, 'notification.list');
      const [rows, unread] = await Promise.all([
        repo.list(db, ctx.orgId, userId, f.unread, page),
        repo.unreadCount(db, ctx.orgId, userId),
      ]);
      return { ...rows, unread };
    },

    async markRead(ctx: Ctx, id: string): Promise<NotificationRow> {
      const userId = ownUser(ctx, 'notification.read');
      const nid = assertId(id);
      return db.transaction(async (tx) => {
        const before = await repo.byId(tx, ctx.orgId, userId, nid);
        if (!before) throw notFound();
        if (before.read_at) return before;
        const row = await repo.markRead(tx, ctx.orgId, userId, nid);
        await recordAudit(tx, ctx, {
          action: 'notification.read',
          entityType: 'notification',
          entityId: nid,
          meta: { kind: row.kind },
        });
        return row;
      });
    },

    async markAllRead(ctx: Ctx): Promise<{ updated: number }> {
      const userId = ownUser(ctx, 'notification.read');
      return db.transaction(async (tx) => {
        const updated = await repo.markAllRead(tx, ctx.orgId, userId);
        if (updated)
          await recordAudit(tx, ctx, {
            action: 'notification.read_all',
            entityType: 'notification',
            entityId: null,
            meta: { count: updated },
          });
        return { updated };
      });
    },

    /** For the live stream: this user's notifications created in the last `windowSeconds`. */
    recent(orgId: string, userId: string, windowSeconds: number) {
      return repo.recent(db, orgId, userId, windowSeconds);
    },

    async getPreferences(ctx: Ctx) {
      const userId = ownUser(ctx, 'notification.preferences');
      const [p] = await repo.preferences(db, ctx.orgId, [userId]);
      return presentPreferences(p ?? DEFAULT_PREFERENCES);
    },

    /** Saves the user's preferences and (re)schedules the daily digest at the chosen hour of the org's time zone. */
    async putPreferences(ctx: Ctx, input: PreferencesInput, now = new Date()) {
      const userId = ownUser(ctx, 'notification.preferences');
      return db.transaction(async (tx) => {
        const [before] = await repo.preferences(tx, ctx.orgId, [userId]);
        const row = await repo.upsertPreferences(tx, {
          org_id: ctx.orgId,
          user_id: userId,
          in_app: input.inApp,
          email: input.email,
          kinds: input.kinds,
          digest_enabled: input.digest.enabled,
          digest_hour: input.digest.hour,
        });
        const digestChanged =
          !before || before.digest_enabled !== row.digest_enabled || before.digest_hour !== row.digest_hour;
        if (digestChanged) {
          await cancelDigests(tx, ctx.orgId, userId);
          if (row.digest_enabled) {
            const org = await identity.org(ctx.orgId, tx);
            await scheduleDigest(tx, ctx.orgId, userId, row.digest_hour, org.time_zone, now, row.version);
          }
        }
        await recordAudit(tx, ctx, {
          action: 'notification.preferences.update',
          entityType: 'notification_preferences',
          entityId: userId,
          before: before ?? null,
          after: row,
        });
        return presentPreferences(row);
      });
    },
  };
}

export type NotificationsCore = ReturnType<typeof makeNotificationsService>;
