// The notifications module's public door: in-app notifications (live over SSE), email (SMTP, durable timers),
// per-user preferences and the daily digest, and signed outbound webhooks with SSRF protection.
//
// Other modules call, inside their own transaction:
//   notifications.notify(tx, ctx, { userIds, kind, title, body, record?, link?, data? })
// Webhooks hear domain events through the dispatcher (platform/events): a module emits, webhooks deliver.
import { registerAuditedTable } from '../../platform/audit/audit.ts';
import type { Config } from '../../platform/config/config.ts';
import type { Db } from '../../platform/db/db.ts';
import { registerConsumer } from '../../platform/events/dispatcher.ts';
import type { App } from '../../platform/http/app.ts';
import { registerIoTimerHandler } from '../../platform/jobs/timers.ts';
import { cliLogger } from '../../platform/log/log.ts';
import type { RecordRegistry } from '../../platform/records/registry.ts';
import type { IdentityService } from '../identity/index.ts';
import { type Mailer, makeMailer } from './mail.ts';
import { notificationsConsumer } from './notifications.consumer.ts';
import { makeNotificationJobs, NOTIFICATION_DIGEST, NOTIFICATION_EMAIL } from './notifications.jobs.ts';
import { notificationsRoutes as inAppRoutes } from './notifications.routes.ts';
import { makeNotificationsService } from './notifications.service.ts';
import type { StreamOptions } from './notifications.stream.ts';
import { webhooksRoutes } from './webhooks.routes.ts';
import { makeWebhooksService, WEBHOOK_DELIVER } from './webhooks.service.ts';

registerAuditedTable({ entityType: 'webhook_endpoint', table: 'webhook_endpoints', exclude: ['secret'] });

export interface NotificationsDeps {
  identity: IdentityService;
  /** Overrides the mailer built from KEPT_SMTP_URL (tests). */
  mailer?: Mailer;
  log?: (msg: string) => void;
  /** Notifications about a record open it: its web route comes from here. */
  records?: RecordRegistry;
}

/**
 * Builds the module and registers its timer handlers ('notification.email', 'notification.digest',
 * 'webhook.deliver') with the timer worker of this process.
 */
export function makeNotificationsModule(db: Db, config: Config, deps: NotificationsDeps) {
  const mailer = deps.mailer ?? makeMailer(config);
  const logger = deps.log ? null : cliLogger(config.logLevel);
  const log = deps.log ?? ((msg: string) => logger?.info(msg));
  const notifications = makeNotificationsService(db, {
    identity: deps.identity,
    mailer,
    log,
    records: deps.records,
  });
  const webhooks = makeWebhooksService(db, config);
  const jobs = makeNotificationJobs({ identity: deps.identity, mailer, config, log });
  registerIoTimerHandler(NOTIFICATION_EMAIL, jobs.email);
  registerIoTimerHandler(NOTIFICATION_DIGEST, jobs.digest);
  registerIoTimerHandler(WEBHOOK_DELIVER, webhooks.deliver);
  registerConsumer(webhooks.consumer);
  registerConsumer(notificationsConsumer(notifications.notify));
  return {
    notify: notifications.notify,
    notifications,
    webhooks,
    mailer,
  };
}

export type NotificationsModule = ReturnType<typeof makeNotificationsModule>;

/** All HTTP routes of the module: /api/v1/notifications… and /api/v1/webhooks… */
export async function notificationsRoutes(app: App, mod: NotificationsModule, streamOptions?: StreamOptions) {
  await inAppRoutes(app, mod, streamOptions);
  await webhooksRoutes(app, mod);
}

export type { LocalizedText, NotifyInput } from './notifications.service.ts';
export { signatureHeader } from './webhooks.send.ts';
