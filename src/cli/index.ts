import { Command } from 'commander';
import { registerAuditCommands } from './audit.command.ts';
import { registerCalendarCommands } from './calendar.command.ts';
import { registerDemoCommand } from './demo.command.ts';
import { registerExportCommand } from './export.command.ts';
import { registerIdentityCommands } from './identity.command.ts';
import { registerImportCommand } from './import.command.ts';
import { registerMigrateCommand } from './migrate.command.ts';

/** The `kept` command line. Each command lives in its own file. */
export async function runCli(argv: string[]) {
  const program = new Command();
  program
    .name('kept')
    .description(
      'Kept — customer operations platform. Configuration comes from the environment (see README).',
    )
    .showHelpAfterError();

  program
    .command('serve', { isDefault: true })
    .description('run the API and the web app (creates the demo organization on an empty database)')
    .action(async () => {
      const { serve } = await import('../server.ts');
      await serve();
    });

  program
    .command('worker')
    .description(
      'run the timer worker alone (SLA clocks, automations, deliveries); several may share one PostgreSQL',
    )
    .option('--id <name>', 'worker name shown in fired timers')
    .action(async (o) => {
      const { runWorker } = await import('../worker.ts');
      await runWorker({ workerId: o.id });
    });

  registerMigrateCommand(program);
  registerIdentityCommands(program);
  registerAuditCommands(program);
  registerCalendarCommands(program);
  registerDemoCommand(program);
  registerImportCommand(program);
  registerExportCommand(program);
  await program.parseAsync(argv);
}
