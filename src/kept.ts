import { auditRoutes, makeAuditService } from './modules/audit/index.ts';
import { calendarRoutes, makeCalendarService } from './modules/calendar/index.ts';
import {
  customerQuietHours,
  customerRecordType,
  customersRoutes,
  makeCustomersService,
} from './modules/customers/index.ts';
import {
  authRoutes,
  identityRoutes,
  makeAuthenticator,
  makeAuthService,
  makeIdentityService,
} from './modules/identity/index.ts';
import { importsRoutes, makeImportsModule } from './modules/imports/index.ts';
import { makeNotificationsModule, notificationsRoutes } from './modules/notifications/index.ts';
import { calendarClock, makeProcessesService, processesRoutes } from './modules/processes/index.ts';
import { recordsRoutes } from './modules/records/index.ts';
import {
  cadencesRoutes,
  makeTasksService,
  makeWorkService,
  myDayRoutes,
  promisesRoutes,
  tasksRoutes,
} from './modules/tasks/index.ts';
import type { Config } from './platform/config/config.ts';
import { systemCtx } from './platform/context.ts';
import type { Db } from './platform/db/db.ts';
import { migrate } from './platform/db/migrate.ts';
import { buildHttp } from './platform/http/app.ts';
import { loggerOptions } from './platform/log/log.ts';
import { RecordRegistry } from './platform/records/registry.ts';

/**
 * The composition root: wires the database into every module's services, and the services into HTTP.
 * main.ts (server), the CLI and the tests all build Kept through here.
 */
export function makeServices(db: Db, config: Config) {
  const identity = makeIdentityService(db);
  // Every module registers its record types here once: tasks, promises, processes and notifications point at
  // records through the registry.
  const records = new RecordRegistry().register(customerRecordType(identity));
  const notifications = makeNotificationsModule(db, config, { identity, records });
  const auth = makeAuthService(db, config);
  const tasks = makeTasksService(db, { identity, records });
  const calendar = makeCalendarService(db, {
    orgTimeZone: async (orgId, q) => (await identity.org(orgId, q)).time_zone,
    customerQuietHours: (ctx, id) => customerQuietHours(db, ctx, id),
    holidays: {
      orgIds: async () => (await identity.listOrgs()).map((o) => o.org_id),
      // Those who may import the table: admins and any role holding calendar.manage.
      notifyCalendarManagers: async (tx, ctx, n) => {
        const managers = (await identity.directory(ctx, tx)).filter(
          (u) => u.permissions.includes('*') || u.permissions.includes('calendar.manage'),
        );
        await notifications.notify(tx, ctx, { ...n, userIds: managers.map((u) => u.id) });
      },
    },
  });
  const processes = makeProcessesService(db, {
    clock: calendarClock(calendar, (q, orgId, id) => customerQuietHours(q, systemCtx(orgId), id)),
    records,
    tasks,
    identity,
    notifier: notifications,
  });
  // Modules emit domain events; the processes (e.g. P1 on customer.assigned), cadences, webhooks and
  // notifications react to them through the dispatcher, never through hooks wired here.
  const customers = makeCustomersService(db, {
    identity,
    tasks,
    piiLookupsPer10Min: config.piiLookupsPer10Min,
  });
  const imports = makeImportsModule(db, { customers, identity });
  const work = makeWorkService(db, {
    tasks,
    identity,
    calendar,
    records,
    contactCustomer: (q, orgId, id) => customers.contacts.customerOf(q, orgId, id),
  });
  const audit = makeAuditService(db, { records });
  return {
    db,
    records,
    identity,
    auth,
    tasks,
    customers,
    imports,
    calendar,
    notifications,
    work,
    processes,
    audit,
  };
}

export type Services = ReturnType<typeof makeServices>;

export async function buildApp(
  services: Services,
  config: Config,
  /** logStream: where the log goes instead of stdout (tests read it). */
  opts: { logger?: boolean; logStream?: NodeJS.WritableStream } = {},
) {
  return buildHttp(
    {
      // Requests are logged at info; at the default level the server logs warnings and errors only.
      logger:
        opts.logger === false
          ? false
          : {
              ...loggerOptions(config.logLevel === 'info' ? 'warn' : config.logLevel),
              ...(opts.logStream ? { stream: opts.logStream } : {}),
            },
      webDist: config.webDist,
      cookieSecure: config.cookieSecure,
      loginRatePerMinute: config.loginRatePerMinute,
      trustProxy: config.trustProxy,
      authenticate: makeAuthenticator(services.auth),
      idempotencyDb: services.db,
      jsonBodyLimit: config.jsonBodyMaxBytes,
      jsonFieldLimit: config.jsonFieldMaxBytes,
    },
    async (app) => {
      await authRoutes(app, services.auth, config);
      await identityRoutes(app, services.identity);
      await customersRoutes(app, services.customers);
      await calendarRoutes(app, services.calendar);
      await tasksRoutes(app, services.tasks);
      await cadencesRoutes(app, services.work.cadences);
      await promisesRoutes(app, services.work.promises);
      await myDayRoutes(app, services.work.myDay);
      await importsRoutes(app, services.imports);
      await notificationsRoutes(app, services.notifications);
      await processesRoutes(app, services.processes.definitions, services.processes.instances);
      await auditRoutes(app, services.audit);
      await recordsRoutes(app, {
        db: services.db,
        records: services.records,
        tasks: services.tasks,
        promises: services.work.promises,
      });
    },
  );
}

export async function prepareDb(db: Db, log?: (m: string) => void) {
  return migrate(db, { log });
}
