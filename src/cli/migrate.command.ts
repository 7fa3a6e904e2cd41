import type { Command } from 'commander';
import { backfillSearchTokens, searchBackfillLog } from '../modules/customers/index.ts';
import { loadConfig } from '../platform/config/config.ts';
import { migrate } from '../platform/db/migrate.ts';
import { openDb } from '../platform/db/open.ts';
import { print } from './shared.ts';

export function registerMigrateCommand(program: Command) {
  program
    .command('migrate')
    .description(
      'apply pending database migrations (also done on every start), then data backfills such as search tokens',
    )
    .action(async () => {
      const db = await openDb(loadConfig());
      try {
        const applied = await migrate(db, { log: (m) => print(m) });
        print(applied.length ? `applied ${applied.length} migration(s)` : 'database is up to date');
        const filled = await backfillSearchTokens(db, { onProgress: searchBackfillLog(print) });
        if (filled.orgs)
          print(
            `search tokens recomputed for ${filled.customers} customer(s) in ${filled.orgs} organization(s)`,
          );
      } finally {
        await db.close();
      }
    });
}
