import { makeServices, prepareDb, type Services } from './kept.ts';
import type { Config } from './platform/config/config.ts';
import type { Db } from './platform/db/db.ts';
import { openDb } from './platform/db/open.ts';

/** Opens the database, applies migrations and builds the services: what every command starts with. */
export async function openKept(
  config: Config,
  log: (m: string) => void = () => undefined,
): Promise<{ db: Db; services: Services }> {
  const db = await openDb(config);
  try {
    await prepareDb(db, log);
  } catch (err) {
    await db.close();
    throw err;
  }
  return { db, services: makeServices(db, config) };
}

/**
 * The worker's hourly look at each org's official holiday tables: admins are notified once when this year's
 * or (from November 1, org time zone) next year's table is missing.
 */
export function holidayCheck(services: Services) {
  return { everyMs: 60 * 60_000, run: (now: Date) => services.calendar.warnMissingHolidays(now) };
}

/**
 * Imports are durable jobs: every minute the worker (`kept serve`'s or a standalone `kept worker`) resumes those
 * whose process died (their lease lapsed). The claim takes the lease under a row lock, so several processes
 * never run one import twice.
 */
export function importResume(services: Services, log: (m: string) => void = () => undefined) {
  return {
    everyMs: 60_000,
    run: async () => {
      const n = await services.imports.imports.resumeInterrupted();
      if (n) log(`resumed ${n} interrupted import(s)`);
      return n;
    },
  };
}
