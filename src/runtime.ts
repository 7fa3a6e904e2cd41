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
