import type { Command } from 'commander';
import { loadConfig } from '../platform/config/config.ts';
import { migrate } from '../platform/db/migrate.ts';
import { openDb } from '../platform/db/open.ts';
import { print } from './shared.ts';

export function registerMigrateCommand(program: Command) {
  program
    .command('migrate')
    .description('apply pending database migrations (also done on every start)')
    .action(async () => {
      const db = await openDb(loadConfig());
      try {
        const applied = await migrate(db, { log: (m) => print(m) });
        print(applied.length ? `applied ${applied.length} migration(s)` : 'database is up to date');
      } finally {
        await db.close();
      }
    });
}
