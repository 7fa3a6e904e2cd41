import type { Config } from './platform/config/config.ts';
import type { Db } from './platform/db/db.ts';
import { migrate } from './platform/db/migrate.ts';
import { buildHttp } from './platform/http/app.ts';
import { loggerOptions } from './platform/log/log.ts';
import { auditRoutes } from './modules/audit/index.ts';
import { customersRoutes, makeCustomersService } from './modules/customers/index.ts';
import { authRoutes, identityRoutes, makeAuthenticator, makeAuthService, makeIdentityService } from './modules/identity/index.ts';
import { makeTasksService, tasksRoutes } from './modules/tasks/index.ts';

/**
 * The composition root: wires the database into every module's services, and the services into HTTP.
 * main.ts (server), the CLI and the tests all build Kept through here.
 */
export function makeServices(db: Db, config: Config) {
  const identity = makeIdentityService(db);
  const auth = makeAuthService(db, config);
  const tasks = makeTasksService(db);
  const customers = makeCustomersService(db, { identity, tasks });
  return { db, identity, auth, tasks, customers };
}

export type Services = ReturnType<typeof makeServices>;

export async function buildApp(services: Services, config: Config, opts: { logger?: boolean } = {}) {
  return buildHttp(
    {
      // Requests are logged at info; at the default level the server logs warnings and errors only.
      logger: opts.logger === false ? false : loggerOptions(config.logLevel === 'info' ? 'warn' : config.logLevel),
      webDist: config.webDist,
      cookieSecure: config.cookieSecure,
      loginRatePerMinute: config.loginRatePerMinute,
      authenticate: makeAuthenticator(services.auth),
    },
    async (app) => {
      await authRoutes(app, services.auth, config);
      await identityRoutes(app, services.identity);
      await customersRoutes(app, services.customers);
      await tasksRoutes(app, services.tasks);
      await auditRoutes(app, services.db);
    },
  );
}

export async function prepareDb(db: Db, log?: (m: string) => void) {
  return migrate(db, { log });
}
