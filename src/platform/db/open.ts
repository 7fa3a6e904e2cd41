import type { Config } from '../config/config.ts';
import type { Db } from './db.ts';
import { PGliteDb } from './pglite.ts';
import { PostgresDb } from './postgres.ts';

/** DATABASE_URL set → PostgreSQL server with a pool; otherwise embedded PGlite under KEPT_DATA_DIR. */
export async function openDb(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'pgPoolSize'>): Promise<Db> {
  if (config.databaseUrl) return new PostgresDb(config.databaseUrl, config.pgPoolSize);
  return PGliteDb.open({ dataDir: config.dataDir });
}
