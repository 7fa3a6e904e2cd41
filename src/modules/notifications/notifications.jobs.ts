import { DateTime } from 'luxon';
import type { Config } from '../../platform/config/config.ts';
import type { Tx } from '../../platform/db/db.ts';
import { cancelTimers, type IoTimerHandler, scheduleTimer } from '../../platform/jobs/timers.ts';
import type { IdentityService } from '../identity/index.ts';
import { absoluteLink, asLocale, type Mailer, renderDigestMail, renderNotificationMail } from './mail.ts';
import { DEFAULT_PREFERENCES, notificationsRepo as repo } from './notifications.repo.ts';

export const NOTIFICATION_EMAIL = 'notification.email';
export const NOTIFICATION_DIGEST = 'notification.digest';

export interface JobsDeps {
  identity: IdentityService;
  mailer: Mailer;
  config: Pick<Config, 'publicUrl'>;
  log: (msg: string) => void;
}

/** The next instant at `hour`:00 in the time zone strictly after `after`. */
export function nextDigestAt(after: Date, hour: number, timeZone: string): DateTime {
  const local = DateTime.fromJSDate(after, { zone: timeZone });
  let at = local.set({ hour, minute: 0, second: 0, millisecond: 0 });
  if (at.toMillis() <= after.getTime())
    at = at.plus({ days: 1 }).set({ hour, minute: 0, second: 0, millisecond: 0 });
  return at;
}

/**
 * Schedules the user's digest at the next `hour` (org time zone): one timer per (user, series, local date, hour).
 * A series starts each time the user changes the digest setting (its preferences version), so turning the digest
 * off and on again the same day schedules anew while the daily chain of one series stays idempotent.
 */
export async function scheduleDigest(
  tx: Tx,
  orgId: string,
  userId: string,
  hour: number,
  timeZone: string,
  after: Date,
  series: number,
): Promise<Date> {
  const at = nextDigestAt(after, hour, timeZone);
  await scheduleTimer(tx, {
    orgId,
    key: `${NOTIFICATION_DIGEST}:${userId}:${series}:${at.toISODate()}T${String(hour).padStart(2, '0')}`,
    kind: NOTIFICATION_DIGEST,
    dueAt: at.toJSDate(),
    refType: 'user',
    refId: userId,
    payload: { userId, hour, series, dueAt: at.toJSDate().toISOString() },
  });
  return at.toJSDate();
}

export async function cancelDigests(tx: Tx, orgId: string, userId: string): Promise<void> {
  await cancelTimers(tx, orgId, userId, [NOTIFICATION_DIGEST]);
}

export function makeNotificationJobs(deps: JobsDeps) {
  const { identity, mailer, config, log } = deps;

  async function recipient(tx: Tx, orgId: string, userId: string) {
    const [user] = await identity.usersByIds(orgId, [userId], tx);
    if (!user || user.status !== 'active' || !user.email) return null;
    const org = await identity.org(orgId, tx);
    return { user, org, locale: asLocale(user.locale, asLocale(org.locale)) };
  }

  /**
   * Timer 'notification.email': one notification by mail. The message is put together in the claiming
   * transaction, sent over SMTP after commit (never inside a transaction); a send that fails is retried by the
   * timer with backoff.
   */
  const email: IoTimerHandler<Parameters<Mailer['send']>[0], void> = {
    async prepare(tx, timer) {
      if (!mailer.enabled) {
        log(`notification email ${timer.id} skipped: KEPT_SMTP_URL is not set`);
        return null;
      }
      const p = timer.payload as { userId?: string; title?: string; body?: string; link?: string | null };
      if (!p.userId || !p.title) return null;
      const r = await recipient(tx, timer.org_id, p.userId);
      if (!r) return null;
      const mail = renderNotificationMail(r.locale, {
        name: r.user.name,
        title: p.title,
        body: p.body ?? '',
        link: absoluteLink(p.link, config.publicUrl),
      });
      return { to: r.user.email, locale: r.locale, ...mail };
    },
    perform: (message) => mailer.send(message),
    async complete(_tx, _timer, _message, outcome) {
      if (!outcome.ok) throw new Error(outcome.error);
    },
  };

  /**
   * Timer 'notification.digest': the unread notifications of the last day by mail (sent after commit), and
   * tomorrow's digest scheduled in the claiming transaction.
   */
  const digest: IoTimerHandler<Parameters<Mailer['send']>[0], void> = {
    async prepare(tx, timer) {
      const p = timer.payload as { userId?: string; hour?: number; series?: number };
      if (!p.userId || typeof p.hour !== 'number') return null;
      const [prefs] = await repo.preferences(tx, timer.org_id, [p.userId]);
      const enabled = prefs?.digest_enabled ?? DEFAULT_PREFERENCES.digest_enabled;
      if (!enabled || prefs.digest_hour !== p.hour) return null; // turned off or moved: a newer timer (if any) carries on
      const r = await recipient(tx, timer.org_id, p.userId);
      if (!r) return null;
      const dueAt = new Date(timer.payload.dueAt ? String(timer.payload.dueAt) : timer.due_at);
      await scheduleDigest(tx, timer.org_id, p.userId, p.hour, r.org.time_zone, dueAt, p.series ?? 0);
      const items = await repo.unreadBetween(
        tx,
        timer.org_id,
        p.userId,
        new Date(dueAt.getTime() - 24 * 3600_000),
        dueAt,
      );
      if (!items.length) return null;
      if (!mailer.enabled) {
        log(`digest for user ${p.userId} skipped: KEPT_SMTP_URL is not set`);
        return null;
      }
      const mail = renderDigestMail(r.locale, {
        name: r.user.name,
        items,
        timeZone: r.org.time_zone,
        publicUrl: config.publicUrl,
      });
      return { to: r.user.email, locale: r.locale, ...mail };
    },
    perform: (message) => mailer.send(message),
    async complete(_tx, _timer, _message, outcome) {
      if (!outcome.ok) throw new Error(outcome.error);
    },
  };

  return { email, digest };
}
